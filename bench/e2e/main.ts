// End-to-end benchmark through the real broker (issue 10): preload N tweets into a fresh topic, run
// the worker in-process exactly as `emotion-stream worker` builds it (src/main.ts startWorker), and
// measure throughput, latency at a fixed offered load, event-loop delay and RSS; in the same run, the
// bare model through the same classifier settings. Progress on stderr; tables on stdout; the LAST
// stdout line is one JSON object. Every flag has an env twin (flag wins).
//   npm run bench:e2e -- [--events N] [--model DIR] [--batch-size B] [--max-wait MS] [--paced-seconds S]
//   npm run bench:e2e -- --sweep [--batch-sizes 8,32,64] [--max-waits 5,20,50] [--out bench/results]
import { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MODEL_DIR } from '../../src/config/defaults';
import { fromPackageRoot } from '../../src/config/package-root';
import { loadBenchTexts } from './bench-texts';
import { jsonLine, machineLine, runTable, sweepTable } from './report';
import { runE2e, type E2eResult, type E2eSettings } from './run-e2e';

const env = process.env;
const list = (value: string) => value.split(',').map((item) => Number(item.trim()));
const flags = new Command('bench:e2e')
  .description(
    'End-to-end throughput, latency, event-loop delay and RSS of the worker through the real broker, next to the bare model.',
  )
  .option(
    '--events <n>',
    'tweets preloaded for the throughput phase (env BENCH_EVENTS)',
    env.BENCH_EVENTS ?? '4000',
  )
  .option(
    '--model <dir>',
    'model folder (env MODEL_DIR; default: the default model when present, else the tiny test fixture)',
    env.MODEL_DIR,
  )
  .option('--batch-size <n>', 'BATCH_MAX_SIZE of the worker and the bare run', env.BATCH_MAX_SIZE ?? '32')
  .option(
    '--max-wait <ms>',
    'BATCH_MAX_WAIT_MS of the worker and the bare run',
    env.BATCH_MAX_WAIT_MS ?? '20',
  )
  .option('--chunk-size <n>', 'PIPELINE_CHUNK_SIZE (default: the worker default)', env.PIPELINE_CHUNK_SIZE)
  .option(
    '--partition-concurrency <n>',
    'PARTITION_CONCURRENCY (default: the worker default)',
    env.PARTITION_CONCURRENCY,
  )
  .option(
    '--partitions <n>',
    'partitions of the fresh input and output topics (env BENCH_PARTITIONS)',
    env.BENCH_PARTITIONS ?? '4',
  )
  .option(
    '--paced-seconds <s>',
    'length of the fixed-load latency phase; also the RSS sampling window (env BENCH_PACED_SECONDS)',
    env.BENCH_PACED_SECONDS ?? '20',
  )
  .option(
    '--load <fraction>',
    'offered load of the latency phase as a fraction of the measured maximum',
    '0.5',
  )
  .option('--rate <tweets/s>', 'fixed offered load instead of --load x maximum')
  .option(
    '--texts <file>',
    'tweet texts (dair-ai text;label file or one per line; default: $EMOTION_DATA_DIR/val.txt, else samples/demo-tweets.txt)',
  )
  .option(
    '--sweep',
    'run batch size x max wait, plus the per-message baseline; write a table, JSON and PNG plot',
  )
  .option('--batch-sizes <list>', 'sweep: batch sizes', '8,32,64,128')
  .option('--max-waits <list>', 'sweep: max waits (ms)', '5,20,50')
  .option('--out <dir>', 'sweep: where the table, JSON and plot go', fromPackageRoot('bench', 'results'))
  .option('--plot-from <json>', 'only redraw the plot of an earlier sweep from its JSON (written next to it)')
  .option('--json-out <file>', 'write every figure of the run(s) as JSON (the smoke test reads it)')
  .parse()
  .opts<{
    events: string;
    model?: string;
    batchSize: string;
    maxWait: string;
    chunkSize?: string;
    partitionConcurrency?: string;
    partitions: string;
    pacedSeconds: string;
    load: string;
    rate?: string;
    texts?: string;
    sweep?: boolean;
    batchSizes: string;
    maxWaits: string;
    out: string;
    jsonOut?: string;
    plotFrom?: string;
  }>();

function modelDir(): string {
  if (flags.model) return path.isAbsolute(flags.model) ? flags.model : path.resolve(flags.model);
  const preferred = fromPackageRoot(DEFAULT_MODEL_DIR);
  return existsSync(preferred) ? preferred : fromPackageRoot('test', 'fixtures', 'tiny-distilbert');
}

const PER_MESSAGE = 'per message';
const log = (line: string) => process.stderr.write(`${line}\n`);
const optionalNumber = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : Number(value);

async function main(): Promise<void> {
  if (flags.plotFrom) {
    const { results, machine, model } = JSON.parse(readFileSync(flags.plotFrom, 'utf8')) as {
      results: E2eResult[];
      machine?: string;
      model: string;
    };
    const { sweepSvg, writeSweepPlot } = await import('./sweep-plot');
    const grid = results.filter((r) => r.label !== PER_MESSAGE);
    const baseline = results.find((r) => r.label === PER_MESSAGE);
    const events = grid[0]?.events ?? 0;
    const plot = await writeSweepPlot(
      sweepSvg(
        grid,
        baseline,
        `model ${path.basename(model)}, ${events} tweets per setting, ${machine ?? ''}`,
      ),
      flags.plotFrom.replace(/\.json$/, ''),
    );
    log(`wrote ${plot.svgPath}, ${plot.pngPath}`);
    return;
  }
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const dir = modelDir();
  const { file, texts } = loadBenchTexts(flags.texts);
  log(`model ${dir}\ntexts ${file} (${texts.length}, repeated to reach --events)\n${machineLine()}`);
  const base: E2eSettings = {
    label: 'run',
    events: Number(flags.events),
    texts,
    modelDir: dir,
    batchMaxSize: Number(flags.batchSize),
    batchMaxWaitMs: Number(flags.maxWait),
    chunkSize: optionalNumber(flags.chunkSize),
    partitionConcurrency: optionalNumber(flags.partitionConcurrency),
    partitions: Number(flags.partitions),
    pacedSeconds: Number(flags.pacedSeconds),
    loadFraction: Number(flags.load),
    rate: optionalNumber(flags.rate),
    bare: 'batched',
    env,
    log,
  };
  const header = `bench:e2e — model ${path.relative(process.cwd(), dir) || dir}, texts ${path.basename(file)}\n${machineLine()}\n`;

  if (!flags.sweep) {
    const result = await runE2e(base);
    if (flags.jsonOut)
      writeFileSync(flags.jsonOut, JSON.stringify({ model: dir, texts: file, results: [result] }, null, 2));
    process.stdout.write(`\n${header}\n${runTable(result)}\n`);
    process.stdout.write(`${jsonLine(result)}\n`);
    return;
  }

  const results: E2eResult[] = [];
  // The per-message baseline: one tweet at a time through every stage, no micro-batching, one partition at a time.
  const baseline = await runE2e({
    ...base,
    label: PER_MESSAGE,
    batchMaxSize: 1,
    batchMaxWaitMs: 0,
    chunkSize: 1,
    partitionConcurrency: 1,
    bare: 'per-message',
    events: Math.min(base.events, 1_000),
  });
  results.push(baseline);
  const grid: E2eResult[] = [];
  for (const batchMaxSize of list(flags.batchSizes)) {
    for (const batchMaxWaitMs of list(flags.maxWaits)) {
      const result = await runE2e({
        ...base,
        label: `b${batchMaxSize} w${batchMaxWaitMs}`,
        batchMaxSize,
        batchMaxWaitMs,
      });
      grid.push(result);
      results.push(result);
    }
  }
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  mkdirSync(flags.out, { recursive: true });
  const baseName = path.join(flags.out, `e2e-sweep-${stamp}`);
  const table = sweepTable(results);
  writeFileSync(`${baseName}.md`, `${header}\n${table}\n`);
  writeFileSync(
    `${baseName}.json`,
    JSON.stringify({ model: dir, texts: file, machine: machineLine(), results }, null, 2),
  );
  if (flags.jsonOut)
    writeFileSync(flags.jsonOut, JSON.stringify({ model: dir, texts: file, results }, null, 2));
  // Loaded only here: playwright-core is heavy and a plain run should not pay for it.
  const { sweepSvg, writeSweepPlot } = await import('./sweep-plot');
  const plot = await writeSweepPlot(
    sweepSvg(
      grid,
      baseline,
      `model ${path.basename(dir)}, ${base.events} tweets per setting, ${machineLine()}`,
    ),
    baseName,
  );
  log(`wrote ${baseName}.md, .json, ${path.basename(plot.svgPath)}, ${path.basename(plot.pngPath)}`);
  const best = grid.reduce((a, b) => (b.e2eTweetsPerS > a.e2eTweetsPerS ? b : a));
  process.stdout.write(`\n${header}\n${table}\n\nbest: ${best.label}\n`);
  process.stdout.write(`${jsonLine(best)}\n`);
}

void main().then(
  // kafkajs and the session workers may keep handles open a moment; the run is over.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:e2e failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
