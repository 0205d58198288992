import { performance } from 'node:perf_hooks';
import { createClassifier } from '../../src/pipeline/batched-classifier';
import { textAt } from './bench-texts';
import { meterCpu, type CpuSpent } from './cpu-meter';

export interface BareSettings {
  modelDir: string;
  maxBatchSize: number;
  maxWaitMs: number;
  /** `batched`: every text in one classify() call (the micro-batcher fills batches); `per-message`: one awaited call per text. */
  mode: 'batched' | 'per-message';
  texts: readonly string[];
  count: number;
}

/**
 * The model alone, through the same `createClassifier` the worker builds (same model, batch size,
 * max wait, worker threads and intra-op threads — startWorker passes nothing else): tokenize +
 * micro-batch + ONNX in the session worker. No Kafka, no Avro. Tweets/s over `count` texts after
 * a warm-up of 64.
 */
export interface BareResult {
  tweetsPerS: number;
  cpu: CpuSpent;
  count: number;
}

export async function measureBareInference(settings: BareSettings): Promise<BareResult> {
  const classifier = await createClassifier({
    modelDir: settings.modelDir,
    maxBatchSize: settings.maxBatchSize,
    maxWaitMs: settings.maxWaitMs,
  });
  try {
    const texts = Array.from({ length: settings.count }, (_, i) => textAt(settings.texts, i));
    await classifier.classify(texts.slice(0, 64));
    const cpu = meterCpu();
    const started = performance.now();
    if (settings.mode === 'batched') {
      const results = await classifier.classify(texts);
      const failed = results.filter((result) => result instanceof Error).length;
      if (failed > 0) throw new Error(`bare inference: ${failed} of ${texts.length} texts failed`);
    } else {
      for (const text of texts) await classifier.classify([text]);
    }
    const tweetsPerS = texts.length / ((performance.now() - started) / 1000);
    return { tweetsPerS, cpu: cpu.read(), count: texts.length };
  } finally {
    await classifier.close();
  }
}
