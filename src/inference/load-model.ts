import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelLoadError, type ModelInfo } from '../core';
import {
  labelsFromConfig,
  parseModelConfig,
  parseTokenizerConfig,
  resolveMaxLength,
  type TokenizerConfig,
} from './model-config';
import {
  assertModelDir,
  locateModelFiles,
  requireFile,
  verifyChecksums,
  type LocateOptions,
  type ModelFiles,
} from './model-files';
import { TextTokenizer } from './text-tokenizer';

/** Everything the engine needs from a model folder except the session itself. */
export interface LoadedModel {
  info: ModelInfo;
  files: ModelFiles;
  tokenizer: TextTokenizer;
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelLoadError(
      'MODEL_TOKENIZER_INVALID',
      `${file} is not valid JSON: ${(error as Error).message}`,
      error,
    );
  }
}

/**
 * Reads a Hugging Face optimum / transformers.js model folder: config.json (labels from id2label,
 * the emotion_stream block), tokenizer.json (+ tokenizer_config.json), the ONNX file, and verifies
 * the checksums config.json lists.
 */
export async function loadModelDirectory(
  modelDir: string,
  options: LocateOptions = {},
): Promise<LoadedModel> {
  const dir = path.resolve(modelDir);
  await assertModelDir(dir);
  const configFile = await requireFile(dir, 'config.json');
  const config = parseModelConfig(await readFile(configFile, 'utf8'), configFile);
  const labels = labelsFromConfig(config, configFile);
  const files = await locateModelFiles(dir, config, options);
  await verifyChecksums(dir, config.emotion_stream?.sha256);

  const tokenizerConfig: TokenizerConfig | undefined = files.tokenizerConfig
    ? parseTokenizerConfig(await readFile(files.tokenizerConfig, 'utf8'), files.tokenizerConfig)
    : undefined;
  const tokenizerJson = await readJson(files.tokenizer);
  if (typeof tokenizerJson !== 'object' || tokenizerJson === null) {
    throw new ModelLoadError('MODEL_TOKENIZER_INVALID', `${files.tokenizer} is not a tokenizer definition`);
  }
  const tokenizer = new TextTokenizer(
    tokenizerJson,
    tokenizerConfig ?? {},
    resolveMaxLength(config, tokenizerConfig),
  );
  const info: ModelInfo = {
    name: config.emotion_stream?.name ?? path.basename(dir),
    version: config.emotion_stream?.version ?? 'unversioned',
    labels,
    languages: config.emotion_stream?.languages,
  };
  return { info, files, tokenizer };
}
