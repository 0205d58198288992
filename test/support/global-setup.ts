import { spawnSync } from 'node:child_process';
import path from 'node:path';

// Integration and reliability tests run against real services. If they already answer
// (a developer's `scripts/services up`, or KAFKA_BROKERS/REDIS_URL/SCHEMA_REGISTRY_URL pointing
// at reachable ones) we use them and leave them alone; otherwise we start them with the same
// script the demo uses, and the teardown stops exactly what we started.
const root = path.resolve(__dirname, '..', '..');
const services = path.join(root, 'scripts', 'services');

function run(args: string[], inherit: boolean) {
  return spawnSync(services, args, { cwd: root, encoding: 'utf8', stdio: inherit ? 'inherit' : 'pipe' });
}

function exportServiceEnv(): void {
  const env = run(['env'], false);
  if (env.status !== 0) throw new Error(`scripts/services env failed:\n${env.stderr}`);
  for (const line of env.stdout.split('\n')) {
    const match = /^(?:export\s+)?([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2].replace(/^['"]|['"]$/g, '');
  }
}

export default async function globalSetup(): Promise<void> {
  // Per service, so the teardown stops exactly the ones this run started and nothing a developer runs.
  const missing = ['redis', 'kafka', 'registry'].filter((name) => {
    const status = run(['status', name], false);
    if (status.error) throw new Error(`cannot run ${services}: ${status.error.message}`);
    return status.status !== 0;
  });
  if (missing.length > 0) {
    process.stderr.write(`\n[test services] starting ${missing.join(', ')} with scripts/services up\n`);
    const up = run(['up', ...missing], true);
    if (up.status !== 0) {
      throw new Error('scripts/services up failed: the integration tests need Kafka, Redis and the schema registry (see the output above)');
    }
    (globalThis as { __emotionStreamStartedServices?: string[] }).__emotionStreamStartedServices = missing;
  }
  exportServiceEnv();
}
