import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { Metrics } from '../../../src/telemetry';

// deploy/grafana and deploy/prometheus only query metrics the worker really exports, cover every
// emotion_stream_* metric, and the alert rules pass promtool's checks and unit tests.

const deployDir = path.resolve(__dirname, '../../../deploy');
const metricPattern = /\b(?:emotion_stream|nodejs|process)_[a-z0-9_]+\b/g;
const histogramSuffix = /_(bucket|sum|count)$/;

async function exportedNames(): Promise<Set<string>> {
  const metrics = new Metrics();
  const names = new Set(metrics.registry.getMetricsAsArray().map((metric) => metric.name));
  return names;
}

function referencedNames(expressions: string[], exported: Set<string>): string[] {
  const found = expressions.flatMap((expr) => expr.match(metricPattern) ?? []);
  return [...new Set(found.map((name) => (exported.has(name) ? name : name.replace(histogramSuffix, ''))))];
}

interface Panel {
  id: number;
  type: string;
  targets?: Array<{ expr: string }>;
}

describe('Grafana dashboard', () => {
  const dashboard = JSON.parse(
    readFileSync(path.join(deployDir, 'grafana', 'emotion-stream.json'), 'utf8'),
  ) as {
    uid: string;
    panels: Panel[];
    templating: { list: Array<{ name: string }> };
  };
  const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

  it('queries only metrics the worker exports', async () => {
    const exported = await exportedNames();
    const unknown = referencedNames(expressions, exported).filter((name) => !exported.has(name));
    expect(unknown).toEqual([]);
  });

  it('shows every emotion_stream metric', async () => {
    const exported = await exportedNames();
    const shown = new Set(referencedNames(expressions, exported));
    const missing = [...exported].filter(
      (name) =>
        name.startsWith('emotion_stream_') &&
        name !== 'emotion_stream_metric_collection_errors_total' &&
        !shown.has(name),
    );
    expect(missing).toEqual([]);
  });

  it('has unique panel ids and a datasource variable', () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.templating.list.map((variable) => variable.name)).toEqual([
      'datasource',
      'job',
      'instance',
    ]);
    expect(dashboard.uid).toBe('emotion-stream');
  });
});

describe('Prometheus alert rules', () => {
  const rulesFile = path.join(deployDir, 'prometheus', 'alerts.yml');
  const rules = parse(readFileSync(rulesFile, 'utf8')) as {
    groups: Array<{ rules: Array<{ alert: string; expr: string; labels: { severity: string } }> }>;
  };
  const alerts = rules.groups.flatMap((group) => group.rules);

  it('covers lag growing, the dead-letter rate and readiness', () => {
    expect(alerts.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'EmotionStreamConsumerLagGrowing',
        'EmotionStreamDeadLetterRateHigh',
        'EmotionStreamNotReady',
      ]),
    );
    for (const rule of alerts) expect(['warning', 'critical']).toContain(rule.labels.severity);
  });

  it('uses only metrics the worker exports', async () => {
    const exported = await exportedNames();
    const unknown = referencedNames(
      alerts.map((rule) => rule.expr),
      exported,
    ).filter((name) => !exported.has(name));
    expect(unknown).toEqual([]);
  });

  // promtool comes from Debian's `prometheus` package (scripts/install-system-deps installs it).
  function promtool(args: string[]): { status: number | null; output: string } {
    const result = spawnSync('promtool', args, { cwd: path.join(deployDir, 'prometheus'), encoding: 'utf8' });
    if (result.error)
      throw new Error(
        `promtool is needed for this test (apt-get install prometheus): ${result.error.message}`,
      );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  it('passes promtool check rules and check config', () => {
    const rulesCheck = promtool(['check', 'rules', 'alerts.yml']);
    expect(rulesCheck.output).toContain('SUCCESS');
    expect(rulesCheck.status).toBe(0);
    const configCheck = promtool(['check', 'config', 'prometheus.yml']);
    expect(configCheck.status).toBe(0);
  });

  it('fires and stays quiet as alerts.test.yml expects (promtool test rules)', () => {
    const result = promtool(['test', 'rules', 'alerts.test.yml']);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
