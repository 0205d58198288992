import { createClassifier, type BatchedClassifier } from '../../../src/pipeline/batched-classifier';
import type { BatchStats } from '../../../src/batching';
import type { EmotionResult } from '../../../src/core';
import { TINY_MODEL_DIR } from '../inference/fixture-dir';

describe('createClassifier (tiny fixture)', () => {
  let classifier: BatchedClassifier;
  const batches: BatchStats[] = [];
  beforeAll(async () => {
    classifier = await createClassifier({
      modelDir: TINY_MODEL_DIR,
      maxBatchSize: 8,
      maxWaitMs: 5,
      maxQueue: 16,
      intraOpThreads: 1,
    });
    classifier.onBatch((stats) => batches.push(stats));
  });
  afterAll(async () => classifier.close());

  it('exposes the model info from config.json', () => {
    expect(classifier.model).toEqual({
      name: 'tiny-distilbert',
      version: 'fixture-1',
      labels: ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'],
      languages: ['en'],
    });
    expect(classifier.maxLength).toBe(128);
  });

  it('returns one result per text in input order, the same as classifying each alone', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `text number ${i} ${'word '.repeat(i % 7)}`);
    const together = await classifier.classify(texts);
    expect(together).toHaveLength(40);
    for (const i of [0, 13, 39]) {
      const [alone] = await classifier.classify([texts[i]]);
      expect((together[i] as EmotionResult).scores.joy).toBeCloseTo((alone as EmotionResult).scores.joy, 5);
    }
    // 40 texts through a queue of 16 in batches of at most 8.
    expect(Math.max(...batches.map((b) => b.size))).toBeLessThanOrEqual(8);
  });

  it('fails a bad item alone', async () => {
    const results = await classifier.classify(['fine', null as unknown as string, 'also fine']);
    expect(results[0]).not.toBeInstanceOf(Error);
    expect(results[1]).toBeInstanceOf(Error);
    expect(results[1]).toMatchObject({ code: 'MISSING_TEXT' });
    expect(results[2]).not.toBeInstanceOf(Error);
  });

  it("mixes concurrent calls into shared batches and keeps each call's order", async () => {
    batches.length = 0;
    const calls = await Promise.all([
      classifier.classify(['a1', 'a2', 'a3']),
      classifier.classify(['b1', 'b2']),
      classifier.classify(['c1']),
    ]);
    expect(calls.map((results) => results.length)).toEqual([3, 2, 1]);
    expect(batches.reduce((n, b) => n + b.size, 0)).toBe(6);
    expect(batches.length).toBeLessThan(6);
  });

  it('reports backpressure state', () => {
    expect(classifier.isFull()).toBe(false);
    return expect(classifier.waitForCapacity()).resolves.toBeUndefined();
  });

  it('close() finishes accepted texts', async () => {
    const other = await createClassifier({ modelDir: TINY_MODEL_DIR, maxWaitMs: 60_000, intraOpThreads: 1 });
    const pending = other.classify(['waiting for a full batch that never comes']);
    await other.close();
    const [result] = await pending;
    expect(result).not.toBeInstanceOf(Error);
  });
});
