import { MicroBatcher } from '../../../src/batching';
import { pickSimilarCost } from '../../../src/batching/length-buckets';

describe('pickSimilarCost', () => {
  it('groups the oldest item with its closest-cost neighbours', () => {
    // index 0 (oldest) costs 10; the closest three are 9, 10, 11.
    expect(pickSimilarCost([10, 50, 9, 51, 11, 90], 3, undefined)).toEqual([0, 2, 4]);
  });

  it('always includes the oldest item, even when it is an outlier', () => {
    expect(pickSimilarCost([100, 1, 2, 3], 2, undefined)).toContain(0);
  });

  it('takes everything when fewer items than the batch size are queued', () => {
    expect(pickSimilarCost([5, 1, 9], 8, undefined)).toEqual([0, 1, 2]);
  });

  it('keeps within the token budget by dropping the dearest items, never the oldest', () => {
    const picked = pickSimilarCost([30, 10, 20, 40], 4, 60);
    expect(picked).toContain(0);
    const costs = [30, 10, 20, 40];
    expect(picked.length * Math.max(...picked.map((i) => costs[i]))).toBeLessThanOrEqual(60);
  });
});

describe('MicroBatcher with bucketByCost', () => {
  it('builds batches of similar cost and still returns results in input order', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        batches.push([...items]);
        return items.map((x) => x * 2);
      },
      { maxBatchSize: 3, maxWaitMs: 60_000, cost: (x) => x, bucketByCost: true, maxConcurrentBatches: 10 },
    );
    const input = [5, 100, 6, 101, 7, 102];
    const pending = batcher.addAll(input);
    await batcher.close();
    expect(await pending).toEqual(input.map((x) => x * 2));
    expect(batches).toEqual([
      [5, 6, 7],
      [100, 101, 102],
    ]);
  });

  it('needs a cost function', () => {
    expect(() => new MicroBatcher(async (xs: readonly number[]) => xs, { bucketByCost: true })).toThrow(
      /cost function/,
    );
  });
});
