import { BatcherClosedError, BatcherQueueFullError, MicroBatcher } from '../../../src/batching';

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const double = async (items: readonly number[]): Promise<number[]> => items.map((x) => x * 2);

describe('MicroBatcher', () => {
  it('cuts batches at maxBatchSize and sends the rest on close', async () => {
    const sizes: number[] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        return double(items);
      },
      { maxBatchSize: 4, maxWaitMs: 60_000, maxConcurrentBatches: 4 },
    );
    const results = Array.from({ length: 10 }, (_, i) => batcher.add(i));
    await batcher.close();
    expect(await Promise.all(results)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('sends a partial batch once the oldest item has waited maxWaitMs', async () => {
    const batcher = new MicroBatcher<number, number>(double, { maxBatchSize: 100, maxWaitMs: 5 });
    await expect(batcher.add(21)).resolves.toBe(42);
    await batcher.close();
  });

  it('puts a burst of adds into one batch', async () => {
    const sizes: number[] = [];
    const batcher = new MicroBatcher<number, number>(double, { maxBatchSize: 64, maxWaitMs: 0 });
    batcher.on('batch', (stats) => sizes.push(stats.size));
    await batcher.addAll([1, 2, 3, 4, 5]);
    expect(sizes).toEqual([5]);
    await batcher.close();
  });

  it('returns results in input order whatever order batches finish in', async () => {
    let call = 0;
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        call += 1;
        // Earlier batches finish later.
        await new Promise((resolve) => setTimeout(resolve, 30 / call));
        return items.map((x) => x * 10);
      },
      { maxBatchSize: 3, maxWaitMs: 1, maxConcurrentBatches: 4 },
    );
    const input = Array.from({ length: 12 }, (_, i) => i);
    expect(await batcher.addAll(input)).toEqual(input.map((x) => x * 10));
    expect(call).toBe(4);
    await batcher.close();
  });

  it('respects the token budget (batch size x largest cost)', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        batches.push([...items]);
        return double(items);
      },
      { maxBatchSize: 10, maxWaitMs: 60_000, tokenBudget: 40, cost: (x) => x, maxConcurrentBatches: 10 },
    );
    const done = batcher.addAll([10, 10, 10, 50, 5, 5]);
    await batcher.close();
    await done;
    // 3 x 10 fits; adding 50 would pad all to 50; 50 alone exceeds the budget but must still go.
    expect(batches).toEqual([[10, 10, 10], [50], [5, 5]]);
  });

  it('fails only the item the handler marks as failed', async () => {
    const batcher = new MicroBatcher<string, string>(async (items) =>
      items.map((item) => (item === 'bad' ? new Error(`cannot handle ${item}`) : item.toUpperCase())),
    );
    const results = await batcher.addAll(['a', 'bad', 'c']);
    expect(results[0]).toBe('A');
    expect(results[1]).toBeInstanceOf(Error);
    expect((results[1] as Error).message).toBe('cannot handle bad');
    expect(results[2]).toBe('C');
    await batcher.close();
  });

  it('isolates an item that makes the whole batch reject', async () => {
    const seen: number[] = [];
    const batcher = new MicroBatcher<string, string>(
      async (items) => {
        seen.push(items.length);
        if (items.includes('poison')) throw new Error('batch exploded');
        return items.map((item) => item.toUpperCase());
      },
      { maxBatchSize: 8, maxWaitMs: 60_000 },
    );
    const input = ['a', 'b', 'c', 'd', 'e', 'poison', 'g', 'h'];
    const pending = batcher.addAll(input);
    const results = await pending;
    expect(results.filter((r) => r instanceof Error)).toHaveLength(1);
    expect((results[5] as Error).message).toBe('batch exploded');
    expect(results.filter((r) => typeof r === 'string')).toEqual(['A', 'B', 'C', 'D', 'E', 'G', 'H']);
    expect(seen[0]).toBe(8);
    await batcher.close();
  });

  it('fails the whole batch when isolation is off', async () => {
    const batcher = new MicroBatcher<number, number>(
      async () => {
        throw new Error('down');
      },
      { isolateFailures: false },
    );
    const results = await batcher.addAll([1, 2, 3]);
    expect(results.every((r) => r instanceof Error && r.message === 'down')).toBe(true);
    await batcher.close();
  });

  it('rejects the item whose cost cannot be computed, alone', async () => {
    const batcher = new MicroBatcher<number, number>(double, {
      cost: (x) => {
        if (x < 0) throw new Error('negative');
        return x;
      },
    });
    const results = await batcher.addAll([1, -1, 2]);
    expect(results[0]).toBe(2);
    expect(results[1]).toBeInstanceOf(Error);
    expect(results[2]).toBe(4);
    await batcher.close();
  });

  it('signals backpressure when the queue is full and capacity when it drains', async () => {
    const blocked = gate();
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        await blocked.promise;
        return double(items);
      },
      { maxBatchSize: 2, maxQueue: 4, maxWaitMs: 0, maxConcurrentBatches: 1 },
    );
    const events: string[] = [];
    batcher.on('full', () => events.push('full'));
    batcher.on('capacity', () => events.push('capacity'));

    const first = [batcher.add(1), batcher.add(2)];
    await new Promise((resolve) => setImmediate(resolve)); // first batch is now in flight
    expect(batcher.inFlightBatches).toBe(1);
    const queued = [3, 4, 5, 6].map((x) => batcher.add(x));
    expect(batcher.isFull()).toBe(true);
    expect(events).toEqual(['full']);
    await expect(batcher.add(7)).rejects.toBeInstanceOf(BatcherQueueFullError);

    let capacity = false;
    const waiting = batcher.waitForCapacity().then(() => {
      capacity = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(capacity).toBe(false);
    blocked.open();
    await waiting;
    expect(events).toEqual(['full', 'capacity']);
    expect(await Promise.all([...first, ...queued])).toEqual([2, 4, 6, 8, 10, 12]);
    await batcher.whenDrained();
    expect(batcher.queued).toBe(0);
    await batcher.close();
  });

  it('addAll waits for capacity instead of failing when given more than maxQueue', async () => {
    const batcher = new MicroBatcher<number, number>(double, { maxBatchSize: 2, maxQueue: 3, maxWaitMs: 0 });
    const input = Array.from({ length: 50 }, (_, i) => i);
    expect(await batcher.addAll(input)).toEqual(input.map((x) => x * 2));
    await batcher.close();
  });

  it('refuses items after close, and close waits for accepted ones', async () => {
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return double(items);
      },
      { maxWaitMs: 60_000 },
    );
    let settled = false;
    const accepted = batcher.add(5).then((value) => {
      settled = true;
      return value;
    });
    await batcher.close();
    expect(settled).toBe(true);
    await expect(accepted).resolves.toBe(10);
    await expect(batcher.add(1)).rejects.toBeInstanceOf(BatcherClosedError);
    expect(batcher.isClosed()).toBe(true);
  });

  it('rejects invalid options with a readable message', () => {
    expect(() => new MicroBatcher(double, { maxBatchSize: 0 })).toThrow(/maxBatchSize/);
    expect(() => new MicroBatcher(double, { maxBatchSize: 10, maxQueue: 5 })).toThrow(
      /maxQueue must be at least maxBatchSize/,
    );
    expect(() => new MicroBatcher(double, { tokenBudget: 100 })).toThrow(/cost function/);
  });
});
