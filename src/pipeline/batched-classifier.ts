import { MicroBatcher, type BatchStats } from '../batching';
import type { Classifier, EmotionResult, ModelInfo } from '../core';
import { InferenceEngine, type InferenceEngineOptions } from '../inference';

export interface BatchedClassifierOptions extends InferenceEngineOptions {
  /**
   * Most texts per model run.
   * @defaultValue 32
   */
  maxBatchSize?: number;
  /**
   * Longest a text waits for its batch to fill, in ms.
   * @defaultValue 10
   */
  maxWaitMs?: number;
  /**
   * Most texts waiting for a batch; `classify()` waits for room beyond it, and `isFull()` tells a
   * consumer to pause.
   * @defaultValue 1024
   */
  maxQueue?: number;
  /**
   * Optional cap on batch size x padded length (tokens), so a batch of long texts stays small.
   * @defaultValue undefined (no cap)
   */
  tokenBudget?: number;
  /**
   * Build batches from queued texts of similar token length (the oldest text always goes next), so
   * padding to the longest text in a batch wastes little compute.
   * @defaultValue true
   */
  bucketByLength?: boolean;
  /**
   * Batches in flight at once.
   * @defaultValue the number of session workers
   */
  maxConcurrentBatches?: number;
}

/** A Classifier whose micro-batching is visible to the consumer (backpressure) and to metrics. */
export interface BatchedClassifier extends Classifier {
  /** Tokens per text after truncation. */
  readonly maxLength: number;
  /** True while the batch queue is at `maxQueue`: pause consuming until `waitForCapacity()` resolves. */
  isFull(): boolean;
  waitForCapacity(): Promise<void>;
  /** Subscribe to each dispatched batch (size, padded length, wait) for metrics. */
  onBatch(listener: (stats: BatchStats) => void): void;
  /** Subscribe to each finished model run: its wall time in seconds and its size. */
  onInference(listener: (seconds: number, size: number) => void): void;
  /** Texts waiting in the micro-batcher for a model run. */
  queueDepth(): number;
}

/**
 * The worker's classifier: per-text tokenization (a bad text fails alone), a dynamic micro-batcher
 * that mixes texts from every concurrent `classify()` call into the same batches, and ONNX sessions
 * in worker threads. `close()` finishes every accepted text, then stops the workers.
 */
export async function createClassifier(options: BatchedClassifierOptions): Promise<BatchedClassifier> {
  const {
    maxBatchSize,
    maxWaitMs,
    maxQueue,
    tokenBudget,
    bucketByLength,
    maxConcurrentBatches,
    ...engineOptions
  } = options;
  const engine = await InferenceEngine.load(engineOptions);
  const inferenceListeners: Array<(seconds: number, size: number) => void> = [];
  // Timed around the model run only (not the queue wait) for the inference latency histogram.
  const timedInfer = async (sequences: ReadonlyArray<readonly number[]>) => {
    const started = process.hrtime.bigint();
    try {
      return await engine.inferBatch(sequences);
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      for (const listener of inferenceListeners) listener(seconds, sequences.length);
    }
  };
  const batcher = new MicroBatcher<number[], EmotionResult>((sequences) => timedInfer(sequences), {
    maxBatchSize,
    maxWaitMs,
    maxQueue,
    tokenBudget,
    maxConcurrentBatches: maxConcurrentBatches ?? engine.settings.workers,
    cost: (ids) => ids.length,
    bucketByCost: bucketByLength ?? true,
  });

  async function classify(texts: readonly string[]): Promise<Array<EmotionResult | Error>> {
    const results: Array<EmotionResult | Error> = new Array<EmotionResult | Error>(texts.length);
    const encoded: number[][] = [];
    const slots: number[] = [];
    texts.forEach((text, index) => {
      try {
        encoded.push(engine.encode(text));
        slots.push(index);
      } catch (error) {
        results[index] = error as Error;
      }
    });
    const inferred = await batcher.addAll(encoded);
    inferred.forEach((result, i) => {
      results[slots[i]] = result;
    });
    return results;
  }

  const model: ModelInfo = engine.model;
  return {
    model,
    maxLength: engine.maxLength,
    classify,
    isFull: () => batcher.isFull(),
    waitForCapacity: () => batcher.waitForCapacity(),
    onBatch: (listener) => {
      batcher.on('batch', listener);
    },
    onInference: (listener) => {
      inferenceListeners.push(listener);
    },
    queueDepth: () => batcher.queued,
    async close() {
      try {
        await batcher.close();
      } finally {
        await engine.close();
      }
    },
  };
}
