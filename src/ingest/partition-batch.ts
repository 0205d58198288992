import type { Envelope } from '../core';

/**
 * The messages of one partition that the consumer hands to the pipeline, in offset order, with
 * the controls the pipeline needs while it works through them.
 */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly envelopes: readonly Envelope[];
  /**
   * Marks every message up to and including `offset` as finished (in the output topic or
   * durably dead-lettered). Only marked offsets are ever committed, and the next fetch of this
   * partition starts right after the last marked one: what is not marked is fetched again.
   */
  markDone(offset: string): void;
  /** Commits the marked offsets now (at-least-once mode; a no-op when offsets travel in transactions). */
  commit(): Promise<void>;
  /** Tells the group coordinator this member is alive; throws when the group is rebalancing. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping: take no new work from this batch. */
  isRunning(): boolean;
  /** Stops fetching this partition until the returned function is called. */
  pause(): () => void;
}

/** What the pipeline gives the consumer: resolves when the batch is finished or abandoned. */
export type PartitionBatchHandler = (batch: PartitionBatch) => Promise<void>;
