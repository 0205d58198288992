// Summarises V8 CPU profiles (node --cpu-prof) of a bench:e2e run: self time by component (Kafka
// client, Avro, tokenizer, ONNX Runtime glue, our stages, GC, idle) and the top self-time frames.
//   node --cpu-prof --cpu-prof-dir DIR --import tsx bench/e2e/main.ts ... 2> log
//   npx tsx bench/e2e/profile-summary.ts --window <from-to printed in log> DIR/*.cpuprofile
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const COMPONENTS: Array<[string, RegExp]> = [
  ['kafkajs', /node_modules\/kafkajs\//],
  ['avsc (Avro)', /node_modules\/avsc\//],
  ['tokenizer (@huggingface/tokenizers)', /node_modules\/@huggingface\/tokenizers\//],
  ['onnxruntime-node (JS side)', /node_modules\/onnxruntime-(node|common)\//],
  ['pino', /node_modules\/(pino|sonic-boom|thread-stream)/],
  ['opentelemetry', /node_modules\/@opentelemetry\//],
  ['other node_modules', /node_modules\//],
  ['src/inference', /\/src\/inference\//],
  ['src/batching', /\/src\/batching\//],
  ['src/codec', /\/src\/codec\//],
  ['src/pipeline', /\/src\/pipeline\//],
  ['src/ingest + egress', /\/src\/(ingest|egress)\//],
  ['src (other)', /\/src\//],
  ['bench harness', /\/bench\//],
  ['node internals', /^node:|^internal\//],
];

function componentOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) {
    if (/^\((idle|program|garbage collector|root)\)$/.test(functionName)) return functionName;
    return '(native / builtins)';
  }
  return COMPONENTS.find(([, pattern]) => pattern.test(url))?.[0] ?? 'other';
}

function summarise(file: string, window?: [number, number]): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  let at = profile.startTime;
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window[0] || at > window[1])) return;
    totalMs += delta / 1000;
    selfMs.set(id, (selfMs.get(id) ?? 0) + delta / 1000);
  });
  const components = new Map<string, number>();
  const frames = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    const component = componentOf(node);
    components.set(component, (components.get(component) ?? 0) + ms);
    const where = node.callFrame.url
      ? `${node.callFrame.url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')}:${node.callFrame.lineNumber + 1}`
      : '';
    const key = `${node.callFrame.functionName || '(anonymous)'} ${where}`.trim();
    frames.set(key, (frames.get(key) ?? 0) + ms);
  }
  const busyMs = totalMs - (components.get('(idle)') ?? 0);
  const pct = (ms: number, of: number) => `${((100 * ms) / of).toFixed(1)} %`;
  const lines = [
    `## ${path.basename(file)}: ${(totalMs / 1000).toFixed(1)} s profiled, ${(busyMs / 1000).toFixed(1)} s not idle`,
    '',
    '| component | self ms | of busy |',
    '|---|--:|--:|',
  ];
  for (const [name, ms] of [...components].sort((a, b) => b[1] - a[1]))
    if (name !== '(idle)') lines.push(`| ${name} | ${ms.toFixed(0)} | ${pct(ms, busyMs)} |`);
  lines.push('', '| top self-time frames | self ms | of busy |', '|---|--:|--:|');
  for (const [name, ms] of [...frames]
    .sort((a, b) => b[1] - a[1])
    .filter(([name]) => !name.startsWith('(idle)'))
    .slice(0, 20)) {
    lines.push(`| ${name.replace(/\|/g, '\\|')} | ${ms.toFixed(0)} | ${pct(ms, busyMs)} |`);
  }
  return lines.join('\n');
}

// --window A-B: only samples between two µs stamps of the same clock (bench:e2e prints its phases' windows).
const args = process.argv.slice(2);
const windowIndex = args.indexOf('--window');
const window =
  windowIndex >= 0 ? (args.splice(windowIndex, 2)[1].split('-').map(Number) as [number, number]) : undefined;
if (args.length === 0) {
  process.stderr.write(
    'usage: tsx bench/e2e/profile-summary.ts [--window FROM_US-TO_US] FILE.cpuprofile...\n',
  );
  process.exitCode = 2;
}
for (const file of args) process.stdout.write(`${summarise(file, window)}\n\n`);
