import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { BatcherClosedError } from './batcher-closed-error';
import {
  resolveBatcherOptions,
  type MicroBatcherOptions,
  type ResolvedBatcherOptions,
} from './batcher-options';
import { BatcherQueueFullError } from './batcher-queue-full-error';
import { pickSimilarCost } from './length-buckets';

/**
 * Runs one batch. Returns one entry per item, in the same order; an Error entry fails that item
 * alone. Rejecting fails the whole batch (which the batcher may split to isolate a bad item).
 */
export type BatchHandler<I, O> = (items: readonly I[]) => Promise<ReadonlyArray<O | Error>>;

/** What one dispatched batch looked like (for metrics). */
export interface BatchStats {
  size: number;
  /** Largest item cost in the batch (the padded length when cost is a token count); 1 without `cost`. */
  maxCost: number;
  /** How long the oldest item waited in the queue, in ms. */
  waitedMs: number;
  /** Items still queued after this batch was taken. */
  queued: number;
}

export interface MicroBatcherEvents {
  /** A batch was handed to the handler. */
  batch: [BatchStats];
  /** The queue reached `maxQueue`: pause the producer. */
  full: [];
  /** The queue has room again after being full. */
  capacity: [];
  /** Nothing queued and nothing in flight. */
  drained: [];
}

interface Pending<I, O> {
  item: I;
  cost: number;
  enqueuedAt: number;
  resolve: (value: O) => void;
  reject: (error: Error) => void;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Dynamic micro-batcher: collects items until `maxBatchSize` (or the token budget) is reached or
 * the oldest item has waited `maxWaitMs`, whichever comes first, then hands the batch to the
 * handler. Every `add()` gets its own promise, so results always land with their item whatever
 * the batching; a bounded queue gives the producer a backpressure signal (`isFull()`, the
 * `full`/`capacity` events, `waitForCapacity()`); `close()` sends what is queued and waits for it.
 */
export class MicroBatcher<I, O> extends EventEmitter<MicroBatcherEvents> {
  private readonly options: ResolvedBatcherOptions<I>;
  private readonly queue: Array<Pending<I, O>> = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = 0;
  private flushing = false;
  private closed = false;
  private wasFull = false;
  private scheduleQueued = false;
  private capacityWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];

  constructor(
    private readonly handler: BatchHandler<I, O>,
    options: MicroBatcherOptions<I> = {},
  ) {
    super();
    this.options = resolveBatcherOptions(options);
  }

  /** Items waiting for a batch (not yet handed to the handler). */
  get queued(): number {
    return this.queue.length;
  }

  /** Batches currently being handled. */
  get inFlightBatches(): number {
    return this.inFlight;
  }

  isFull(): boolean {
    return this.queue.length >= this.options.maxQueue;
  }

  isClosed(): boolean {
    return this.closed;
  }

  /** Queues one item; resolves with its result or rejects with its own error. */
  add(item: I): Promise<O> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    if (this.isFull()) return Promise.reject(new BatcherQueueFullError(this.options.maxQueue));
    let cost = 1;
    try {
      if (this.options.cost) cost = this.options.cost(item);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, cost, enqueuedAt: performance.now(), resolve, reject });
      if (this.isFull() && !this.wasFull) {
        this.wasFull = true;
        this.emit('full');
      }
      this.scheduleSoon();
    });
  }

  /**
   * Adds every item, waiting for queue capacity as needed, and settles with one entry per item in
   * input order: its result or its Error.
   */
  async addAll(items: readonly I[]): Promise<Array<O | Error>> {
    const results: Array<Promise<O | Error>> = [];
    for (const item of items) {
      while (this.isFull() && !this.closed) await this.waitForCapacity();
      results.push(this.add(item).catch(asError));
    }
    return Promise.all(results);
  }

  /** Resolves as soon as `add()` would be accepted (immediately when the queue has room). */
  waitForCapacity(): Promise<void> {
    if (!this.isFull() || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.capacityWaiters.push(resolve));
  }

  /** Resolves when nothing is queued and no batch is in flight. */
  whenDrained(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Sends everything queued now, without waiting for batches to fill, and waits for the results. */
  async flush(): Promise<void> {
    this.flushing = true;
    try {
      this.schedule();
      await this.whenDrained();
    } finally {
      this.flushing = this.closed;
    }
  }

  /** Refuses new items, then flushes: every item already added still gets its result. */
  async close(): Promise<void> {
    this.closed = true;
    this.releaseCapacityWaiters();
    await this.flush();
    this.clearTimer();
  }

  /**
   * Items added in one synchronous burst (addAll, a consumer's loop) must land in the same batch even
   * when the oldest has already waited maxWaitMs, so decide after the burst, in a microtask.
   */
  private scheduleSoon(): void {
    if (this.scheduleQueued) return;
    this.scheduleQueued = true;
    queueMicrotask(() => {
      this.scheduleQueued = false;
      this.schedule();
    });
  }

  private schedule(): void {
    while (this.inFlight < this.options.maxConcurrentBatches && this.queue.length > 0) {
      const { count, complete } = this.planBatch();
      const oldestWait = performance.now() - this.queue[0].enqueuedAt;
      if (!complete && !this.flushing && oldestWait < this.options.maxWaitMs) {
        this.armTimer(this.options.maxWaitMs - oldestWait);
        return;
      }
      this.dispatch(this.take(count), oldestWait);
    }
    if (this.queue.length === 0) this.clearTimer();
  }

  /** Removes the next batch from the queue: the head items, or similar-cost ones when bucketing. */
  private take(count: number): Array<Pending<I, O>> {
    if (!this.options.bucketByCost || this.queue.length <= 1) return this.queue.splice(0, count);
    const picked = pickSimilarCost(
      this.queue.map((pending) => pending.cost),
      this.options.maxBatchSize,
      this.options.tokenBudget,
    );
    const chosen = new Set(picked);
    const batch = picked.map((index) => this.queue[index]);
    const rest = this.queue.filter((_, index) => !chosen.has(index));
    this.queue.length = 0;
    this.queue.push(...rest);
    return batch;
  }

  /** How many head items make the next batch, and whether it is complete (a limit was reached). */
  private planBatch(): { count: number; complete: boolean } {
    const { maxBatchSize, tokenBudget } = this.options;
    let maxCost = 0;
    for (let count = 0; count < this.queue.length; count += 1) {
      if (count === maxBatchSize) return { count, complete: true };
      const nextMax = Math.max(maxCost, this.queue[count].cost);
      if (tokenBudget !== undefined && count > 0 && (count + 1) * nextMax > tokenBudget)
        return { count, complete: true };
      maxCost = nextMax;
    }
    return { count: this.queue.length, complete: this.queue.length >= maxBatchSize };
  }

  private dispatch(batch: Array<Pending<I, O>>, waitedMs: number): void {
    this.inFlight += 1;
    const maxCost = batch.reduce((max, pending) => Math.max(max, pending.cost), 0);
    this.emit('batch', { size: batch.length, maxCost, waitedMs, queued: this.queue.length });
    if (this.wasFull && !this.isFull()) {
      this.wasFull = false;
      this.releaseCapacityWaiters();
      this.emit('capacity');
    }
    void this.runBatch(batch).finally(() => {
      this.inFlight -= 1;
      this.schedule();
      if (this.queue.length === 0 && this.inFlight === 0) this.signalDrained();
    });
  }

  private async runBatch(batch: Array<Pending<I, O>>): Promise<void> {
    let results: ReadonlyArray<O | Error>;
    try {
      results = await this.handler(batch.map((pending) => pending.item));
      if (results.length !== batch.length) {
        throw new Error(`batch handler returned ${results.length} results for ${batch.length} items`);
      }
    } catch (error) {
      if (this.options.isolateFailures && batch.length > 1) {
        // Halving finds a batch-breaking item in log2(n) extra runs while the rest still succeed.
        const middle = Math.ceil(batch.length / 2);
        await this.runBatch(batch.slice(0, middle));
        await this.runBatch(batch.slice(middle));
        return;
      }
      for (const pending of batch) pending.reject(asError(error));
      return;
    }
    results.forEach((result, index) => {
      if (result instanceof Error) batch[index].reject(result);
      else batch[index].resolve(result);
    });
  }

  private armTimer(delayMs: number): void {
    const dueAt = performance.now() + delayMs;
    if (this.timer !== undefined && this.timerDueAt <= dueAt) return;
    this.clearTimer();
    this.timerDueAt = dueAt;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.schedule();
      },
      Math.max(0, Math.ceil(delayMs)),
    );
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private releaseCapacityWaiters(): void {
    const waiters = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private signalDrained(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
    this.emit('drained');
  }
}
