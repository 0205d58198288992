import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ModelLoadError } from '../core';
import type { ModelConfig } from './model-config';

/** Where a model folder's files are (absolute paths). */
export interface ModelFiles {
  dir: string;
  config: string;
  tokenizer: string;
  tokenizerConfig: string | undefined;
  onnx: string;
}

export interface LocateOptions {
  /** Prefer `onnx/model_quantized.onnx` / `model_quantized.onnx` (ignored when config names a file). */
  quantized?: boolean;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Fails with a message naming the folder when it is not there at all (the most common mistake). */
export async function assertModelDir(dir: string): Promise<void> {
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new ModelLoadError(
      'MODEL_DIR_MISSING',
      `model directory ${dir} does not exist; pass --model DIR (or set MODEL_DIR) to a folder with config.json, tokenizer.json and onnx/model.onnx`,
    );
  }
}

export async function requireFile(dir: string, relative: string): Promise<string> {
  const file = path.join(dir, relative);
  if (!(await isFile(file))) {
    throw new ModelLoadError('MODEL_FILE_MISSING', `model file ${relative} is missing in ${dir}`);
  }
  return file;
}

/** The ONNX file to load: config's emotion_stream.onnx, else the optimum layout's usual names. */
async function locateOnnx(dir: string, config: ModelConfig, options: LocateOptions): Promise<string> {
  const named = config.emotion_stream?.onnx;
  if (named !== undefined) return requireFile(dir, named);
  const candidates = options.quantized
    ? ['onnx/model_quantized.onnx', 'model_quantized.onnx']
    : ['onnx/model.onnx', 'model.onnx'];
  for (const candidate of candidates) {
    const file = path.join(dir, candidate);
    if (await isFile(file)) return file;
  }
  throw new ModelLoadError(
    'MODEL_FILE_MISSING',
    `no ONNX model in ${dir}: looked for ${candidates.join(' and ')}`,
  );
}

export async function locateModelFiles(
  dir: string,
  config: ModelConfig,
  options: LocateOptions = {},
): Promise<ModelFiles> {
  const tokenizerConfig = path.join(dir, 'tokenizer_config.json');
  return {
    dir,
    config: path.join(dir, 'config.json'),
    tokenizer: await requireFile(dir, 'tokenizer.json'),
    tokenizerConfig: (await isFile(tokenizerConfig)) ? tokenizerConfig : undefined,
    onnx: await locateOnnx(dir, config, options),
  };
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Verifies every digest config.json lists, so a truncated or swapped model never loads. */
export async function verifyChecksums(
  dir: string,
  expected: Record<string, string> | undefined,
): Promise<void> {
  for (const [relative, digest] of Object.entries(expected ?? {})) {
    const actual = await sha256Of(await requireFile(dir, relative));
    if (actual !== digest.toLowerCase()) {
      throw new ModelLoadError(
        'MODEL_CHECKSUM_MISMATCH',
        `model file ${relative} in ${dir} has SHA-256 ${actual}, but config.json expects ${digest.toLowerCase()}`,
      );
    }
  }
}
