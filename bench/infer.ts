// Inference throughput: tokenizer alone; tokenize + ONNX run at batch sizes 1, 8, 32, 64 on real
// tweet lengths (val texts in file order, padded to the longest of each batch); and the classifier
// end to end, per message (one text per classify call) vs micro-batched (all texts in one call).
// Run: npm run bench:infer -- [--model DIR] [--workers N] [--threads N] [--seconds S] [--texts FILE]
// Prints a table; record it in BENCHMARKS.md with machine, date and command.
import { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MODEL_DIR } from '../src/config/defaults';
import { fromPackageRoot } from '../src/config/package-root';
import { InferenceEngine, loadModelDirectory } from '../src/inference';
import { parseLabelledText } from '../src/inference/evaluation';
import { VALIDATION_SPLIT_PATH } from '../test/support/validation-split';
import { createClassifier } from '../src/pipeline/batched-classifier';

interface Row {
  what: string;
  tweetsPerSecond: number;
  detail: string;
}

const flags = new Command('bench:infer')
  .option(
    '--model <dir>',
    'model folder (default: the default model when present, else the tiny test fixture)',
  )
  .option(
    '--texts <file>',
    'texts: a dair-ai labelled file or one text per line (default: the validation split, test/fixtures/emotion/val.txt or $EMOTION_DATA_DIR/val.txt)',
  )
  .option('--workers <n>', 'inference worker threads', '1')
  .option('--threads <n>', 'intra-op threads per session (default: cores / workers)')
  .option(
    '--seconds <s>',
    'time spent on each measurement (at most; stops earlier when the texts run out)',
    '4',
  )
  .parse()
  .opts<{ model?: string; texts?: string; workers: string; threads?: string; seconds: string }>();

function modelDir(): string {
  if (flags.model) return path.resolve(flags.model);
  const preferred = fromPackageRoot(DEFAULT_MODEL_DIR);
  return existsSync(preferred) ? preferred : fromPackageRoot('test', 'fixtures', 'tiny-distilbert');
}

function loadTexts(): { file: string; texts: string[] } {
  const file = flags.texts ?? VALIDATION_SPLIT_PATH;
  const content = readFileSync(file, 'utf8');
  const texts = /^text;label/.test(content)
    ? parseLabelledText(content, file).map((e) => e.text)
    : content.split('\n').filter((l) => l !== '');
  return { file, texts };
}

const seconds = Number(flags.seconds);
const settings = {
  workers: Number(flags.workers),
  intraOpThreads: flags.threads === undefined ? undefined : Number(flags.threads),
};

async function measure(
  run: (from: number) => Promise<number>,
  total: number,
): Promise<{ perSecond: number; done: number; elapsed: number }> {
  await run(0); // warm-up
  let done = 0;
  const started = performance.now();
  while (done < total && (performance.now() - started < seconds * 1000 || done === 0))
    done += await run(done);
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: done / elapsed, done, elapsed };
}

async function main(): Promise<void> {
  const dir = modelDir();
  const { file, texts } = loadTexts();
  const rows: Row[] = [];
  process.stderr.write(`model ${dir}\ntexts ${file} (${texts.length})\n`);

  const { tokenizer, info } = await loadModelDirectory(dir);
  const tok = await measure(async (from) => {
    for (let i = 0; i < 500; i += 1) tokenizer.encode(texts[(from + i) % texts.length]);
    return 500;
  }, Number.POSITIVE_INFINITY);
  const meanTokens = texts.reduce((sum, t) => sum + tokenizer.encode(t).length, 0) / texts.length;
  rows.push({
    what: 'tokenizer alone',
    tweetsPerSecond: tok.perSecond,
    detail: `mean ${meanTokens.toFixed(1)} tokens/text`,
  });

  const engine = await InferenceEngine.load({ modelDir: dir, ...settings });
  try {
    for (const batchSize of [1, 8, 32, 64]) {
      let padded = 0;
      let batches = 0;
      const result = await measure(async (from) => {
        const batch = texts
          .slice(from % texts.length, (from % texts.length) + batchSize)
          .map((t) => engine.encode(t));
        await engine.inferBatch(batch);
        padded += Math.max(...batch.map((ids) => ids.length));
        batches += 1;
        return batch.length;
      }, texts.length);
      rows.push({
        what: `engine, batch ${batchSize}`,
        tweetsPerSecond: result.perSecond,
        detail: `${result.done} texts, ${((result.elapsed * 1000) / Math.max(1, batches - 1)).toFixed(1)} ms/batch, padded length ~${(padded / batches).toFixed(0)}`,
      });
    }
  } finally {
    await engine.close();
  }

  const perMessage = await createClassifier({ modelDir: dir, ...settings, maxBatchSize: 1, maxWaitMs: 0 });
  try {
    const result = await measure(async (from) => {
      await perMessage.classify([texts[from % texts.length]]);
      return 1;
    }, texts.length);
    rows.push({
      what: 'classifier, per message',
      tweetsPerSecond: result.perSecond,
      detail: `${result.done} sequential classify([text]) calls`,
    });
  } finally {
    await perMessage.close();
  }
  for (const maxBatchSize of [32, 64]) {
    const batched = await createClassifier({ modelDir: dir, ...settings, maxBatchSize, maxWaitMs: 10 });
    try {
      const chunk = 512;
      const result = await measure(async (from) => {
        const slice = texts.slice(from % texts.length, (from % texts.length) + chunk);
        await batched.classify(slice);
        return slice.length;
      }, texts.length);
      rows.push({
        what: `classifier, micro-batched (max ${maxBatchSize})`,
        tweetsPerSecond: result.perSecond,
        detail: `${result.done} texts in classify() calls of ${chunk}`,
      });
    } finally {
      await batched.close();
    }
  }

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(
    `\nbench:infer — model ${info.name} ${info.version} (${path.relative(process.cwd(), dir) || dir}), ${texts.length} texts from ${path.basename(file)}\n` +
      `${availableParallelism()} cores (${cpu}); workers ${settings.workers}, intra-op threads ${settings.intraOpThreads ?? 'default'}; ${new Date().toISOString()}\n\n`,
  );
  const width = Math.max(...rows.map((r) => r.what.length));
  process.stdout.write(
    `| ${'measurement'.padEnd(width)} | tweets/s | detail\n|${'-'.repeat(width + 2)}|---------:|-------\n`,
  );
  for (const row of rows) {
    process.stdout.write(
      `| ${row.what.padEnd(width)} | ${row.tweetsPerSecond.toFixed(1).padStart(8)} | ${row.detail}\n`,
    );
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench:infer failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
