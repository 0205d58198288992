import type { EvaluationMetrics } from './metrics';

const pct = (value: number): string => value.toFixed(4);

/** A plain-text report: per-class table, confusion matrix (rows = truth), summary. */
export function formatReport(metrics: EvaluationMetrics, tweetsPerSecond: number, seconds: number): string {
  const width = Math.max(12, ...metrics.labels.map((label) => label.length + 2));
  const lines: string[] = [];
  lines.push(
    `${'label'.padEnd(width)}${'precision'.padStart(11)}${'recall'.padStart(11)}${'f1'.padStart(11)}${'support'.padStart(10)}`,
  );
  for (const c of metrics.perClass) {
    lines.push(
      `${c.label.padEnd(width)}${pct(c.precision).padStart(11)}${pct(c.recall).padStart(11)}${pct(c.f1).padStart(11)}${String(c.support).padStart(10)}`,
    );
  }
  lines.push('');
  const cell = Math.max(8, ...metrics.labels.map((label) => label.length + 1));
  const columns = metrics.failed > 0 ? [...metrics.labels, '(failed)'] : [...metrics.labels];
  lines.push(`confusion matrix (rows: true label, columns: predicted)`);
  lines.push(`${''.padEnd(width)}${columns.map((label) => label.padStart(cell)).join('')}`);
  metrics.labels.forEach((label, t) => {
    const row = metrics.confusion[t].slice(0, columns.length);
    lines.push(`${label.padEnd(width)}${row.map((count) => String(count).padStart(cell)).join('')}`);
  });
  lines.push('');
  lines.push(`accuracy   ${pct(metrics.accuracy)}`);
  lines.push(`macro-F1   ${pct(metrics.macroF1)}`);
  lines.push(`n          ${metrics.n}${metrics.failed > 0 ? ` (${metrics.failed} failed)` : ''}`);
  lines.push(
    `throughput ${tweetsPerSecond.toFixed(1)} tweets/s (tokenize + inference, ${seconds.toFixed(2)} s)`,
  );
  return `${lines.join('\n')}\n`;
}
