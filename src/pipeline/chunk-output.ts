import type { Logger } from 'pino';
import type { DeadLetterSink } from '../core';
import type { OutputProducer } from '../egress/output-producer';
import type { TransactionalOutput } from '../egress/transactional-output';
import type { PartitionBatch } from '../ingest/partition-batch';
import type { ChunkOutcome, DeadLetterItem } from './process-chunk';
import { backoffDelayMs } from '../core';
import { sleep, type StopSignal } from './stop-signal';

/** Where finished chunks go: plain idempotent producer + group commits, or transactions. */
export type OutputMode =
  | { kind: 'at-least-once'; producer: OutputProducer }
  | {
      kind: 'exactly-once';
      transactions: TransactionalOutput;
      /** The group's committed offset, read after fencing (see TransactionalOutput). */
      committedOffset(partition: number): Promise<string | undefined>;
      groupId: string;
    };

export interface ChunkOutputDeps {
  mode: OutputMode;
  deadLetter: DeadLetterSink;
  signal: StopSignal;
  logger: Logger;
}

const nextOffset = (offset: string) => (BigInt(offset) + 1n).toString();

/**
 * Writes dead letters until each is durable. The store being down (Redis outage) must not lose a
 * message nor let its offset be committed, so we keep trying with backoff — the partition stalls,
 * which is the point — and give up only when the worker abandons in-flight work on shutdown.
 */
export async function writeDeadLetters(
  items: readonly DeadLetterItem[],
  deps: ChunkOutputDeps,
): Promise<void> {
  let pending = [...items];
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const settled = await Promise.allSettled(
      pending.map((item) =>
        deps.deadLetter.deadLetter(item.envelope, item.error, item.attempts, {
          firstFailedAt: item.firstFailedAt,
        }),
      ),
    );
    const failed = pending.filter((_, index) => settled[index].status === 'rejected');
    if (failed.length === 0) return;
    const reason = settled.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    if (deps.signal.abandon.aborted) throw reason.reason;
    deps.logger.warn(
      { err: reason.reason, waiting: failed.length, attempt },
      'dead-letter store unavailable; holding the partition until it returns',
    );
    await sleep(backoffDelayMs({ baseDelayMs: 250, maxDelayMs: 5_000 }, attempt), deps.signal);
    pending = failed;
  }
}

/**
 * The end of a chunk's life, in the order that loses nothing:
 *   1. durable — its records acknowledged by the output topic and its dead letters stored in Redis;
 *   2. mark done — the next fetch of the partition starts after the chunk;
 *   3. commit — the group's offset moves past the chunk (the worker's only commit).
 * Exactly-once mode does 1 and 3 in one Kafka transaction (records + offsets), dead letters first.
 * A crash before 3 repeats this one chunk, never skips it.
 */
export async function finishChunk(
  batch: PartitionBatch,
  lastOffset: string,
  outcome: ChunkOutcome,
  deps: ChunkOutputDeps,
): Promise<void> {
  const { mode } = deps;
  if (mode.kind === 'at-least-once') {
    // Both settle before a failure propagates: a dead-letter loop must not outlive its chunk's attempt.
    const durable = await Promise.allSettled([
      mode.producer.send(outcome.records),
      writeDeadLetters(outcome.deadLetters, deps),
    ]); // 1
    const failed = durable.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    batch.markDone(lastOffset); // 2
    await batch.commit(); // 3
    return;
  }
  // Dead letters live outside Kafka's transaction: make them durable first, so a failed transaction
  // at worst repeats a dead letter on retry, never loses one.
  await writeDeadLetters(outcome.deadLetters, deps); // 1 (dead letters)
  // 1 (records) and 3 in one transaction: the output and the group's offset move together.
  await mode.transactions.commit({
    inputTopic: batch.topic,
    partition: batch.partition,
    records: outcome.records,
    nextOffset: nextOffset(lastOffset),
  });
  batch.markDone(lastOffset); // 2
}
