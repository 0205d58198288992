import { DEFAULT_MODEL_DIR } from '../../../src/config/defaults';
import { fromPackageRoot } from '../../../src/config/package-root';
import type { EmotionResult } from '../../../src/core';
import { InferenceEngine } from '../../../src/inference';
import { createClassifier } from '../../../src/pipeline/batched-classifier';
import { differences, seeded, shuffled, validationSample } from '../../support/determinism';

// Issue 17: a text's label and scores must not depend on how it is batched. Over 600 validation texts
// with the shipped default model, each text classified alone is the reference; the same texts in random
// batches of 2-64 (random neighbours, so each batch is padded to a different length), through a pool of
// two multi-threaded sessions running batches concurrently, and through the worker's classifier
// (micro-batcher with length buckets, two session workers) must give the same label and every score
// within 1e-4. The int8 default before 2026.12.01 (activations quantized per batch tensor) fails this.
const MODEL_DIR = fromPackageRoot(DEFAULT_MODEL_DIR);
const TEXTS = 600;

/** Consecutive chunks of random sizes in [2, 64] (the last may be shorter). */
function randomChunks<T>(items: readonly T[], random: () => number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; ) {
    const size = 2 + Math.floor(random() * 63);
    chunks.push(items.slice(start, start + size));
    start += size;
  }
  return chunks;
}

describe('default model scores do not depend on batching (issue 17)', () => {
  let texts: string[];
  let ids: number[][];
  let alone: EmotionResult[];
  let engine: InferenceEngine;
  const indices = (): number[] => texts.map((_, i) => i);

  beforeAll(async () => {
    texts = await validationSample(TEXTS);
    engine = await InferenceEngine.load({ modelDir: MODEL_DIR, workers: 1, intraOpThreads: 1 });
    ids = texts.map((text) => engine.encode(text));
    alone = [];
    for (const sequence of ids) alone.push((await engine.inferBatch([sequence]))[0]);
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
  });

  it('gives each text the same result in random batches of 2-64 (random neighbours and padding) as alone', async () => {
    const random = seeded(1);
    let paddedBeyondOwnLength = 0;
    for (let pass = 1; pass <= 2; pass += 1) {
      const found = new Map<number, EmotionResult>();
      for (const chunk of randomChunks(shuffled(indices(), random), random)) {
        const results = await engine.inferBatch(chunk.map((i) => ids[i]));
        const padded = Math.max(...chunk.map((i) => ids[i].length));
        chunk.forEach((i, row) => {
          if (ids[i].length < padded) paddedBeyondOwnLength += 1;
          found.set(i, results[row]);
        });
      }
      expect(found.size).toBe(TEXTS);
      expect(differences(alone, found)).toEqual([]);
    }
    // Not a vacuous comparison: most texts were padded in at least one of their two batches.
    expect(paddedBeyondOwnLength).toBeGreaterThan(TEXTS);
  });

  it('gives the same results from two multi-threaded sessions running batches concurrently', async () => {
    const pool = await InferenceEngine.load({ modelDir: MODEL_DIR, workers: 2, intraOpThreads: 2 });
    try {
      const random = seeded(2);
      const chunks = randomChunks(shuffled(indices(), random), random);
      const results = await Promise.all(chunks.map((chunk) => pool.inferBatch(chunk.map((i) => ids[i]))));
      const found = new Map<number, EmotionResult>();
      chunks.forEach((chunk, c) => chunk.forEach((i, row) => found.set(i, results[c][row])));
      expect(found.size).toBe(TEXTS);
      expect(differences(alone, found)).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it("gives the same results through the worker's micro-batching classifier", async () => {
    const classifier = await createClassifier({
      modelDir: MODEL_DIR,
      workers: 2,
      intraOpThreads: 1,
      maxBatchSize: 16,
      maxWaitMs: 2,
    });
    try {
      const random = seeded(3);
      // Concurrent calls of random sizes, as partitions hand the classifier their chunks: the batcher
      // mixes them into batches by length bucket and arrival time.
      const chunks = randomChunks(shuffled(indices(), random), random);
      const results = await Promise.all(chunks.map((chunk) => classifier.classify(chunk.map((i) => texts[i]))));
      const found = new Map<number, EmotionResult | Error>();
      chunks.forEach((chunk, c) => chunk.forEach((i, row) => found.set(i, results[c][row])));
      expect(found.size).toBe(TEXTS);
      expect(differences(alone, found)).toEqual([]);
    } finally {
      await classifier.close();
    }
  });
});
