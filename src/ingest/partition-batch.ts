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
  /**
   * Commits this partition's marked offset to the consumer group now — the only place the worker
   * commits (kafkajs' auto-commit is off). A no-op in exactly-once mode, where offsets travel in
   * the producer's transactions instead.
   */
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
