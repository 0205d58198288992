// Default model vs a baseline graph (issue 4: >= 10x the tweets/s of DistilBERT-base) through the
// `emotion-stream eval` code path itself: each round runs `eval` once per model as a child process,
// alternating, so both see the same machine load; tweets/s is eval's own figure (tokenization +
// inference, model load excluded). Reports each round, the best and the median, and the ratio.
// Build the baseline first (random weights, full DistilBERT-base size, outside the repo):
//   .venv/bin/python scripts/fixtures/build_tiny_model.py --full-size --out /tmp/distilbert-base-random
//   npm run bench:model -- --baseline /tmp/distilbert-base-random [--model DIR] [--rounds 3]
import { Command } from 'commander';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_MODEL_DIR } from '../src/config/defaults';
import { fromPackageRoot } from '../src/config/package-root';
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
  .option('--model <dir>', `model folder (default: <package>/${DEFAULT_MODEL_DIR})`)
  .option(
    '--data <file>',
    'labelled texts (default: ../shared/data/emotion/val.txt)',
    fromPackageRoot('..', 'shared', 'data', 'emotion', 'val.txt'),
  )
  .option('--rounds <n>', 'eval runs per model', '3')
  .option('--eval-args <args>', 'extra eval flags for both models, e.g. "--workers 1 --threads 2"', '')
  .parse()
  .opts<{ baseline: string; model?: string; data: string; rounds: string; evalArgs: string }>();

const run = promisify(execFile);

async function evalOnce(modelDir: string): Promise<EvalSummary> {
  const args = [
    '--import',
    'tsx',
    fromPackageRoot('src', 'cli', 'main.ts'),
    'eval',
    '--data',
    flags.data,
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
  const model = path.resolve(flags.model ?? fromPackageRoot(DEFAULT_MODEL_DIR));
  const baseline = path.resolve(flags.baseline);
  for (const dir of [model, baseline, flags.data]) {
    if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
  }
  const rounds = Number(flags.rounds);
  const speeds: Record<'model' | 'baseline', number[]> = { model: [], baseline: [] };
  let quality: EvalSummary | undefined;
  process.stdout.write(`${machineLine()}\nmodel ${model}\nbaseline ${baseline}\n\n`);
  process.stdout.write(
    '| round | model tweets/s | baseline tweets/s | ratio | load (1 min) |\n|---:|---:|---:|---:|---:|\n',
  );
  for (let r = 1; r <= rounds; r += 1) {
    const m = await evalOnce(model);
    const b = await evalOnce(baseline);
    quality = m;
    speeds.model.push(m.tweets_per_s);
    speeds.baseline.push(b.tweets_per_s);
    process.stdout.write(
      `| ${r} | ${m.tweets_per_s.toFixed(1)} | ${b.tweets_per_s.toFixed(1)} | ${(m.tweets_per_s / b.tweets_per_s).toFixed(2)}x | ${loadavg()[0].toFixed(2)} |\n`,
    );
  }
  const best = { model: Math.max(...speeds.model), baseline: Math.max(...speeds.baseline) };
  const med = { model: median(speeds.model), baseline: median(speeds.baseline) };
  process.stdout.write(
    `\nbest: ${best.model.toFixed(1)} vs ${best.baseline.toFixed(1)} tweets/s = ${(best.model / best.baseline).toFixed(2)}x; ` +
      `median: ${med.model.toFixed(1)} vs ${med.baseline.toFixed(1)} = ${(med.model / med.baseline).toFixed(2)}x; ` +
      `model accuracy ${quality?.accuracy}, macro-F1 ${quality?.macro_f1} (n=${quality?.n})\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      bench: 'model',
      model,
      baseline,
      eval_args: flags.evalArgs,
      rounds,
      model_tweets_per_s: speeds.model,
      baseline_tweets_per_s: speeds.baseline,
      ratio_best: best.model / best.baseline,
      ratio_median: med.model / med.baseline,
      accuracy: quality?.accuracy,
      macro_f1: quality?.macro_f1,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:model failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
