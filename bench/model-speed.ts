// Default model vs a baseline graph (issue 4: >= 10x the tweets/s of DistilBERT-base) through the
// `emotion-stream eval` code path itself: each round runs `eval` once per model as a child process,
// alternating, so both see the same machine load; tweets/s is eval's own figure (tokenization +
// inference, model load excluded). Reports each round's ratio (model / that round's baseline) and
// their median. Several --model folders are timed in turn within each round.
// Build the baseline first (random weights, full DistilBERT-base size, outside the repo):
//   .venv/bin/python scripts/fixtures/build_tiny_model.py --full-size --out /tmp/distilbert-base-random
//   (without torch: python scripts/fixtures/build_distilbert_base_onnx.py /tmp/distilbert-base-random models/emotion-minilm-l3)
//   npm run bench:model -- --baseline /tmp/distilbert-base-random [--model DIR] [--rounds 3]
import { Command } from 'commander';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_MODEL_DIR } from '../src/config/defaults';
import { fromPackageRoot } from '../src/config/package-root';
import { VALIDATION_SPLIT_PATH } from '../test/support/validation-split';
import { machineLine } from './e2e/report';

interface EvalSummary {
  accuracy: number;
  macro_f1: number;
  n: number;
  tweets_per_s: number;
}

const flags = new Command('bench:model')
  .description(
    'Tweets/s of the default model and of a baseline model folder through `emotion-stream eval`, alternating, in one run.',
  )
  .requiredOption(
    '--baseline <dir>',
    'baseline model folder, e.g. /tmp/distilbert-base-random (scripts/fixtures/build_tiny_model.py --full-size)',
  )
  .option(
    '--model <dirs...>',
    `model folders, each timed against the same baseline run (default: <package>/${DEFAULT_MODEL_DIR})`,
  )
  .option(
    '--data <file>',
    'labelled texts (default: the validation split, test/fixtures/emotion/val.txt or $EMOTION_DATA_DIR/val.txt)',
    VALIDATION_SPLIT_PATH,
  )
  .option('--rounds <n>', 'eval runs per model', '3')
  .option(
    '--repeat <n>',
    'evaluate the data repeated n times (longer runs: start-up costs weigh less on a small model)',
    '1',
  )
  .option('--eval-args <args>', 'extra eval flags for both models, e.g. "--workers 1 --threads 2"', '')
  .parse()
  .opts<{
    baseline: string;
    model?: string[];
    data: string;
    rounds: string;
    repeat: string;
    evalArgs: string;
  }>();

const run = promisify(execFile);

/** The data file, or a temporary copy holding its examples `times` times (header once). */
function repeatedData(file: string, times: number): string {
  if (times <= 1) return file;
  const [header, ...lines] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const copy = path.join(
    mkdtempSync(path.join(tmpdir(), 'bench-model-')),
    `x${times}-${path.basename(file)}`,
  );
  writeFileSync(copy, [header, ...Array.from({ length: times }, () => lines).flat()].join('\n') + '\n');
  return copy;
}

async function evalOnce(modelDir: string, data: string): Promise<EvalSummary> {
  const args = [
    '--import',
    'tsx',
    fromPackageRoot('src', 'cli', 'main.ts'),
    'eval',
    '--data',
    data,
    '--model',
    modelDir,
    ...flags.evalArgs.split(' ').filter((a) => a !== ''),
  ];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 24 });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as EvalSummary;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const models = (flags.model ?? [fromPackageRoot(DEFAULT_MODEL_DIR)]).map((dir) => path.resolve(dir));
  const baseline = path.resolve(flags.baseline);
  for (const dir of [...models, baseline, flags.data]) {
    if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
  }
  const rounds = Number(flags.rounds);
  const data = repeatedData(flags.data, Number(flags.repeat));
  const baselineSpeeds: number[] = [];
  const results = models.map((dir) => ({
    dir,
    speeds: [] as number[],
    ratios: [] as number[],
    quality: undefined as EvalSummary | undefined,
  }));
  const names = models.map((dir) => path.basename(dir));
  process.stdout.write(
    `${machineLine()}\nmodels ${models.join(', ')}\nbaseline ${baseline}\ndata ${flags.data} x${flags.repeat}, eval flags "${flags.evalArgs}"\n\n`,
  );
  process.stdout.write(
    `| round | ${names.map((n) => `${n} tweets/s | ratio`).join(' | ')} | baseline tweets/s | load (1 min) |\n` +
      `|---:|${names.map(() => '---:|---:|').join('')}---:|---:|\n`,
  );
  for (let r = 1; r <= rounds; r += 1) {
    const summaries: EvalSummary[] = [];
    for (const result of results) summaries.push(await evalOnce(result.dir, data));
    const b = await evalOnce(baseline, data);
    baselineSpeeds.push(b.tweets_per_s);
    const cells = results.map((result, i) => {
      const m = summaries[i];
      result.quality = m;
      result.speeds.push(m.tweets_per_s);
      result.ratios.push(m.tweets_per_s / b.tweets_per_s);
      return `${m.tweets_per_s.toFixed(1)} | ${(m.tweets_per_s / b.tweets_per_s).toFixed(2)}x`;
    });
    process.stdout.write(
      `| ${r} | ${cells.join(' | ')} | ${b.tweets_per_s.toFixed(1)} | ${loadavg()[0].toFixed(2)} |\n`,
    );
  }
  if (data !== flags.data) rmSync(path.dirname(data), { recursive: true, force: true });
  process.stdout.write('\n');
  for (const result of results) {
    process.stdout.write(
      `${path.basename(result.dir)}: ratio per round ${Math.min(...result.ratios).toFixed(2)}-${Math.max(...result.ratios).toFixed(2)}x, ` +
        `median ${median(result.ratios).toFixed(2)}x; tweets/s median ${median(result.speeds).toFixed(1)} vs baseline ` +
        `${median(baselineSpeeds).toFixed(1)}; accuracy ${result.quality?.accuracy}, macro-F1 ${result.quality?.macro_f1} (n=${result.quality?.n})\n`,
    );
  }
  process.stdout.write(
    `${JSON.stringify({
      bench: 'model',
      baseline,
      eval_args: flags.evalArgs,
      data: flags.data,
      repeat: Number(flags.repeat),
      rounds,
      baseline_tweets_per_s: baselineSpeeds,
      models: results.map((result) => ({
        model: result.dir,
        tweets_per_s: result.speeds,
        ratios: result.ratios.map((x) => Number(x.toFixed(3))),
        ratio_median: Number(median(result.ratios).toFixed(3)),
        accuracy: result.quality?.accuracy,
        macro_f1: result.quality?.macro_f1,
      })),
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:model failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
