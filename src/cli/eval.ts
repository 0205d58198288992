import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { performance } from 'node:perf_hooks';
import { EmotionStreamError, type EmotionResult } from '../core';
import { evaluatePredictions, formatReport, readLabelledFile } from '../inference/evaluation';
import { createClassifier } from '../pipeline/batched-classifier';
import { addInferenceFlags, classifierOptions, type ModelFlags } from './model-flags';

interface EvalFlags extends ModelFlags {
  data: string;
  limit?: string;
}

// Texts handed to the classifier per call: big enough to fill batches, small enough for a live progress bar.
const CHUNK = 256;

export function register(program: Command): void {
  addInferenceFlags(
    program
      .command('eval')
      .description(
        'Evaluate the model on a labelled file in the dair-ai/emotion format (header "text;label_name", then "text;label" per line; ' +
          'labels as names or ids). Prints per-class precision/recall/F1, the confusion matrix, accuracy, macro-F1 and throughput, ' +
          'and as its LAST line one JSON object {"accuracy","macro_f1","n","tweets_per_s"} (tweets_per_s = n / wall time of ' +
          'tokenization + inference, model loading excluded). A progress bar goes to stderr when stdout is a terminal.',
      )
      .requiredOption(
        '--data <file>',
        'labelled file (dair-ai/emotion format: text;label lines), e.g. test/fixtures/emotion/val.txt',
      )
      .option('--limit <n>', 'evaluate only the first n examples'),
  )
    .addHelpText(
      'after',
      '\nExample:\n  emotion-stream eval --data test/fixtures/emotion/val.txt | tail -1\n',
    )
    .action(async (flags: EvalFlags) => {
      const classifier = await createClassifier(classifierOptions(flags));
      try {
        const labels = classifier.model.labels;
        let examples = await readLabelledFile(flags.data, labels);
        if (flags.limit !== undefined) examples = examples.slice(0, Number(flags.limit));
        const unknown = [...new Set(examples.map((e) => e.label).filter((label) => !labels.includes(label)))];
        if (unknown.length > 0) {
          throw new EmotionStreamError(
            `${flags.data} has labels the model does not know: ${unknown.join(', ')} (model labels: ${labels.join(', ')})`,
            {
              code: 'DATASET_INVALID',
              stage: 'validate',
              retriable: false,
            },
          );
        }
        const bar = process.stdout.isTTY
          ? new SingleBar({ stream: process.stderr, hideCursor: true }, Presets.shades_classic)
          : undefined;
        bar?.start(examples.length, 0);
        const predicted: Array<string | null> = [];
        const started = performance.now();
        // Two chunks in flight, so the model never waits while the next chunk is tokenized.
        const inFlight: Array<Promise<Array<EmotionResult | Error>>> = [];
        const collect = async (): Promise<void> => {
          for (const result of await (inFlight.shift() as Promise<Array<EmotionResult | Error>>)) {
            predicted.push(result instanceof Error ? null : result.label);
          }
          bar?.update(predicted.length);
        };
        for (let i = 0; i < examples.length; i += CHUNK) {
          inFlight.push(classifier.classify(examples.slice(i, i + CHUNK).map((e) => e.text)));
          if (inFlight.length >= 2) await collect();
        }
        while (inFlight.length > 0) await collect();
        const seconds = (performance.now() - started) / 1000;
        bar?.stop();
        const metrics = evaluatePredictions(
          labels,
          examples.map((e) => e.label),
          predicted,
        );
        const tweetsPerSecond = seconds > 0 ? metrics.n / seconds : 0;
        process.stdout.write(
          `model ${classifier.model.name} ${classifier.model.version} on ${flags.data}\n\n`,
        );
        process.stdout.write(formatReport(metrics, tweetsPerSecond, seconds));
        const summary = {
          accuracy: Number(metrics.accuracy.toFixed(6)),
          macro_f1: Number(metrics.macroF1.toFixed(6)),
          n: metrics.n,
          tweets_per_s: Number(tweetsPerSecond.toFixed(2)),
        };
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      } finally {
        await classifier.close();
      }
    });
}
