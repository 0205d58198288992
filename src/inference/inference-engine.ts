import {
  InferenceFailedError,
  ModelLoadError,
  PoisonMessageError,
  type EmotionResult,
  type ModelInfo,
} from '../core';
import { checkGraph, type IdTensorType } from './graph-contract';
import { loadModelDirectory, type LoadedModel } from './load-model';
import { SessionPool } from './session-pool';
import {
  resolveSessionSettings,
  type ResolvedSessionSettings,
  type SessionSettings,
} from './session-settings';
import { toEmotionResults } from './softmax';
import { padBatch } from './tensor-batch';
import { TokenizeFailedError } from './tokenize-failed-error';

export interface InferenceEngineOptions extends SessionSettings {
  /** The model folder (see docs of loadModelDirectory). */
  modelDir: string;
  /**
   * Load `onnx/model_quantized.onnx` (or `model_quantized.onnx`) unless config.json names a file.
   * @defaultValue false
   */
  quantized?: boolean;
}

/**
 * One model, ready to classify: the tokenizer on the calling thread (fast, per text, so a bad text
 * fails alone) and the ONNX sessions in worker threads. Batching is the caller's business: hand
 * `inferBatch` any number of encoded texts and it pads them to the longest one.
 */
export class InferenceEngine {
  private constructor(
    private readonly loaded: LoadedModel,
    private readonly pool: SessionPool,
    private readonly idType: IdTensorType,
    private readonly tokenTypeIds: boolean,
    readonly settings: ResolvedSessionSettings,
  ) {}

  /** Loads the folder, starts the sessions and checks the output width against the labels. */
  static async load(options: InferenceEngineOptions): Promise<InferenceEngine> {
    const { modelDir, quantized, ...sessionSettings } = options;
    const settings = resolveSessionSettings(sessionSettings);
    const loaded = await loadModelDirectory(modelDir, { quantized });
    const pool = await SessionPool.start(loaded.files.onnx, settings);
    try {
      const { idType, tokenTypeIds } = checkGraph(await pool.graph(), loaded.files.onnx);
      const engine = new InferenceEngine(loaded, pool, idType, tokenTypeIds, settings);
      await engine.checkOutputWidth();
      return engine;
    } catch (error) {
      await pool.close();
      throw error;
    }
  }

  get model(): ModelInfo {
    return this.loaded.info;
  }

  /** The ONNX file in use. */
  get modelFile(): string {
    return this.loaded.files.onnx;
  }

  /** Tokens per text after truncation, special tokens included. */
  get maxLength(): number {
    return this.loaded.tokenizer.maxLength;
  }

  /** The ids the model receives for one text (truncated, not padded). Throws this text's own error. */
  encode(text: unknown): number[] {
    if (typeof text !== 'string') {
      throw new PoisonMessageError(
        'MISSING_TEXT',
        `text must be a string, got ${text === null ? 'null' : typeof text}`,
        { stage: 'infer' },
      );
    }
    try {
      return this.loaded.tokenizer.encode(text);
    } catch (error) {
      throw new TokenizeFailedError(`tokenizer failed: ${(error as Error).message}`, error);
    }
  }

  /** Runs one padded batch; one result per sequence, in order. Rejects with InferenceFailedError. */
  async inferBatch(sequences: ReadonlyArray<readonly number[]>): Promise<EmotionResult[]> {
    if (sequences.length === 0) return [];
    const batch = padBatch(sequences, {
      padId: this.loaded.tokenizer.padId,
      idType: this.idType,
      tokenTypeIds: this.tokenTypeIds,
    });
    const { logits, dims } = await this.pool.run(batch);
    if (dims.length !== 2 || dims[0] !== sequences.length || dims[1] !== this.model.labels.length) {
      throw new InferenceFailedError(
        `model returned logits of shape [${dims.join(', ')}] for a batch of ${sequences.length}`,
      );
    }
    return toEmotionResults(logits, this.model.labels);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async checkOutputWidth(): Promise<void> {
    const probe = padBatch([this.loaded.tokenizer.encode('')], {
      padId: this.loaded.tokenizer.padId,
      idType: this.idType,
      tokenTypeIds: this.tokenTypeIds,
    });
    const { dims } = await this.pool.run(probe);
    const labels = this.model.labels;
    if (dims.length !== 2 || dims[1] !== labels.length) {
      throw new ModelLoadError(
        'MODEL_LABEL_MISMATCH',
        `config.json has ${labels.length} labels (${labels.join(', ')}) but ${this.loaded.files.onnx} outputs logits of shape [${dims.join(', ')}]`,
      );
    }
  }
}
