import { z } from 'zod';

/** How the micro-batcher groups items; validated once by {@link resolveBatcherOptions}. */
export interface MicroBatcherOptions<I> {
  /**
   * Most items in one batch.
   * @defaultValue 32
   */
  maxBatchSize?: number;
  /**
   * Longest the oldest queued item waits for its batch to fill before the batch is sent anyway, in ms.
   * @defaultValue 10
   */
  maxWaitMs?: number;
  /**
   * Most items queued and not yet sent; beyond it `add()` rejects and `isFull()` is true, so a
   * producer (the Kafka consumer) pauses until `waitForCapacity()` resolves.
   * @defaultValue 1024
   */
  maxQueue?: number;
  /**
   * Most batches handed to the handler at the same time (e.g. one per inference worker, plus one
   * so the next batch is ready while a run is in progress).
   * @defaultValue 1
   */
  maxConcurrentBatches?: number;
  /**
   * Optional cap on `batch size x largest item cost`, the padded size of a batch when cost is a
   * token count. A single item over the budget still goes alone. Needs `cost`.
   * @defaultValue undefined (no budget)
   */
  tokenBudget?: number;
  /**
   * The size of an item for `tokenBudget` and length bucketing (e.g. its token count).
   * @defaultValue undefined
   */
  cost?: (item: I) => number;
  /**
   * Build each batch from queued items of similar cost (always including the oldest item), instead of
   * strictly first-in first-out, so padding to the longest item wastes little. Needs `cost`.
   * @defaultValue false
   */
  bucketByCost?: boolean;
  /**
   * When the handler rejects a whole batch, split it and retry the halves, so that one item that
   * breaks its batch fails alone and the others still get results.
   * @defaultValue true
   */
  isolateFailures?: boolean;
}

export interface ResolvedBatcherOptions<I> {
  maxBatchSize: number;
  maxWaitMs: number;
  maxQueue: number;
  maxConcurrentBatches: number;
  tokenBudget: number | undefined;
  cost: ((item: I) => number) | undefined;
  isolateFailures: boolean;
  bucketByCost: boolean;
}

const positiveInt = z.number().int().positive();
const optionsSchema = z
  .object({
    maxBatchSize: positiveInt.default(32),
    maxWaitMs: z.number().nonnegative().default(10),
    maxQueue: positiveInt.default(1024),
    maxConcurrentBatches: positiveInt.default(1),
    tokenBudget: positiveInt.optional(),
    isolateFailures: z.boolean().default(true),
    bucketByCost: z.boolean().default(false),
  })
  .refine((o) => o.maxQueue >= o.maxBatchSize, { message: 'maxQueue must be at least maxBatchSize' });

/** Applies the defaults and checks the numbers; throws a readable error on a bad option. */
export function resolveBatcherOptions<I>(options: MicroBatcherOptions<I>): ResolvedBatcherOptions<I> {
  const { cost, ...numbers } = options;
  const parsed = optionsSchema.safeParse(numbers);
  if (!parsed.success) {
    throw new RangeError(
      `invalid micro-batcher options: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`,
    );
  }
  if ((parsed.data.tokenBudget !== undefined || parsed.data.bucketByCost) && cost === undefined) {
    throw new RangeError('invalid micro-batcher options: tokenBudget and bucketByCost need a cost function');
  }
  return { ...parsed.data, tokenBudget: parsed.data.tokenBudget, cost };
}
