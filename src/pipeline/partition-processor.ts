import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Envelope } from '../core';
import { keepHeartbeating, type HeartbeatKeeper } from '../ingest/heartbeat-keeper';
import type { PartitionBatch, PartitionBatchHandler } from '../ingest/partition-batch';
import type { Backpressure } from './backpressure';
import { finishChunk, type ChunkOutputDeps } from './chunk-output';
import type { PipelineObserver } from './pipeline-observer';
import { processChunk, type ChunkStages } from './process-chunk';
import { ABANDONED, unlessAbandoned } from './stop-signal';
import { ChunkTrace } from '../telemetry';

export interface PartitionProcessorOptions extends ChunkOutputDeps {
  stages: ChunkStages;
  /** Messages per chunk (one classify call, one produce request or transaction). */
  chunkSize: number;
  /** @defaultValue 1000 */
  heartbeatIntervalMs?: number;
  backpressure?: Backpressure;
  observer?: PipelineObserver;
  /** Bumped on every group rebalance; exactly-once mode re-fences a partition after one. */
  generation(): number;
  logger: Logger;
  /** Traces each chunk (see telemetry/chunk-trace.ts); the no-op tracer when tracing is off. @defaultValue no spans */
  tracer?: Tracer;
  /** Recorded on the spans as messaging.consumer.group.name. */
  consumerGroup?: string;
}

function* chunksOf<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/**
 * Handles one partition's batch: chunk by chunk, in offset order. Chunk i+1 is decoded and
 * classified while chunk i is being written; chunk i+1 is written only after chunk i is
 * acknowledged, so a partition's records reach the output in input order (per-key order).
 * A chunk's offsets are marked done only after it is written; whatever is not marked (a chunk
 * abandoned on shutdown, or one that failed) is fetched again.
 */
export function createPartitionProcessor(options: PartitionProcessorOptions): PartitionBatchHandler {
  const { logger, signal, mode } = options;
  const fencedAt = new Map<number, number>();

  /** Exactly-once: fence the partition's previous owner, then skip what it already committed. */
  async function ownPartition(batch: PartitionBatch): Promise<readonly Envelope[]> {
    if (mode.kind !== 'exactly-once') return batch.envelopes;
    const generation = options.generation();
    if (
      fencedAt.get(batch.partition) === generation &&
      mode.transactions.isAcquired(batch.topic, batch.partition)
    ) {
      return batch.envelopes;
    }
    await mode.transactions.acquire(batch.topic, batch.partition);
    fencedAt.set(batch.partition, generation);
    const committed = await mode.committedOffset(batch.partition);
    if (committed === undefined) return batch.envelopes;
    const skipped = batch.envelopes.filter((envelope) => BigInt(envelope.offset) < BigInt(committed));
    if (skipped.length > 0) {
      logger.info(
        { partition: batch.partition, committed, skipped: skipped.length },
        'skipping records the previous owner already committed',
      );
      batch.markDone(skipped[skipped.length - 1].offset);
    }
    return batch.envelopes.slice(skipped.length);
  }

  async function waitForRoom(batch: PartitionBatch, keeper: HeartbeatKeeper): Promise<boolean> {
    const { backpressure } = options;
    if (!backpressure?.isSaturated()) return true;
    const resume = batch.pause();
    try {
      const drained = await unlessAbandoned(backpressure.whenDrained(), signal);
      return drained !== ABANDONED && keeper.failure() === undefined;
    } finally {
      resume();
    }
  }

  return async function handlePartitionBatch(batch) {
    const keeper = keepHeartbeating(() => batch.heartbeat(), options.heartbeatIntervalMs ?? 1_000);
    const fetchedAt = Date.now();
    let writing: Promise<void> | undefined;
    try {
      const envelopes = await ownPartition(batch);
      for (const chunk of chunksOf(envelopes, options.chunkSize)) {
        if (signal.isStopping() || !batch.isRunning()) break;
        const failure = keeper.failure();
        if (failure !== undefined) throw failure;
        if (!(await waitForRoom(batch, keeper))) break;
        const started = Date.now();
        const trace = options.tracer
          ? ChunkTrace.start(options.tracer, chunk, { consumerGroup: options.consumerGroup })
          : undefined;
        // "consume": from kafkajs handing the batch over to this chunk's turn (earlier chunks, backpressure).
        trace?.recordStage('consume', fetchedAt, started);
        const outcome = await unlessAbandoned(
          processChunk(chunk, options.stages, signal, {
            trace,
            onRetry: (error) => options.observer?.retried?.(error),
          }),
          signal,
        );
        if (outcome === ABANDONED) {
          trace?.end(new Error('chunk abandoned on shutdown; it will be consumed again'));
          break;
        }
        // Order: the previous chunk must be in the output before this one is sent.
        if (writing) await writing;
        const lastOffset = chunk[chunk.length - 1].offset;
        const write = () => finishChunk(batch, lastOffset, outcome, options);
        writing = (trace ? trace.stage('produce', write) : write()).then(() => {
          trace?.end();
          options.observer?.produced?.(outcome.produced ?? [], Date.now());
          options.observer?.languagesDecided?.(outcome.languages ?? []);
          options.observer?.chunkDone?.({
            topic: batch.topic,
            partition: batch.partition,
            size: chunk.length,
            produced: outcome.records.length,
            deadLettered: outcome.deadLetters.length,
            durationMs: Date.now() - started,
          });
        });
        // Awaited on the next round or in finally; this only keeps Node from calling it unhandled meanwhile.
        writing.catch((error: unknown) => trace?.end(error));
      }
    } finally {
      keeper.stop();
      // A chunk being written is always waited for: its offsets are marked only if it succeeds.
      if (writing) await writing;
    }
  };
}
