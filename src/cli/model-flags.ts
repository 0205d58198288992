import path from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_MODEL_DIR } from '../config/defaults';
import { fromPackageRoot } from '../config/package-root';
import { ConfigError } from '../core';
import type { BatchedClassifierOptions } from '../pipeline/batched-classifier';

/** Options every model-using command shares (classify, eval, tokenize). */
export interface ModelFlags {
  model?: string;
  quantized?: boolean;
  batchSize?: string;
  maxWaitMs?: string;
  workers?: string;
  threads?: string;
  executionProvider?: 'cpu' | 'cuda';
}

export function addModelFlag(command: Command): Command {
  return command
    .option(
      '-m, --model <dir>',
      `model folder (config.json, tokenizer.json, onnx/model.onnx); default: $MODEL_DIR, else <package>/${DEFAULT_MODEL_DIR}`,
    )
    .option('--quantized', 'load onnx/model_quantized.onnx (unless config.json names the file)');
}

export function addInferenceFlags(command: Command): Command {
  return addModelFlag(command)
    .option(
      '--batch-size <n>',
      'most texts per model run (the worker default, BATCH_MAX_SIZE, is also 16)',
      '16',
    )
    .option('--max-wait-ms <ms>', 'longest a text waits for its batch to fill', '10')
    .option('--workers <n>', 'inference worker threads, each with its own session', '1')
    .option('--threads <n>', 'intra-op threads per session (default: cores / workers)')
    .addOption(
      new Option('--execution-provider <ep>', 'ONNX Runtime execution provider (cuda needs a GPU host)')
        .choices(['cpu', 'cuda'])
        .default('cpu'),
    );
}

/**
 * --model is relative to the working directory; MODEL_DIR and the default are relative to the
 * package root (as for the worker).
 */
export function resolveModelDir(flags: ModelFlags, env: NodeJS.ProcessEnv = process.env): string {
  if (flags.model !== undefined) return path.resolve(flags.model);
  const fromEnv = env.MODEL_DIR;
  if (fromEnv !== undefined && fromEnv !== '')
    return path.isAbsolute(fromEnv) ? fromEnv : fromPackageRoot(fromEnv);
  return fromPackageRoot(DEFAULT_MODEL_DIR);
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || (number === 0 && flag !== '--max-wait-ms')) {
    throw new ConfigError(
      `${flag} must be a ${flag === '--max-wait-ms' ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

export function classifierOptions(flags: ModelFlags): BatchedClassifierOptions {
  const maxBatchSize = positiveInt(flags.batchSize, '--batch-size');
  return {
    modelDir: resolveModelDir(flags),
    quantized: flags.quantized ?? false,
    maxBatchSize,
    maxWaitMs: positiveInt(flags.maxWaitMs, '--max-wait-ms'),
    maxQueue: Math.max(1024, (maxBatchSize ?? 32) * 4),
    workers: positiveInt(flags.workers, '--workers'),
    intraOpThreads: positiveInt(flags.threads, '--threads'),
    executionProvider: flags.executionProvider,
  };
}
