import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { PartitionBatch, PartitionBatchHandler } from './partition-batch';
import { useLinearHeaderDecoding } from './linear-header-decoding';
import { toEnvelope } from './to-envelope';

export interface TweetConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  /** Partitions processed concurrently (kafkajs partitionsConsumedConcurrently). @defaultValue 4 */
  partitionConcurrency?: number;
  /**
   * `PartitionBatch.commit()` commits the marked offset through the consumer group (at-least-once).
   * False in exactly-once mode, where offsets are committed inside the producer's transactions.
   */
  commitOffsets: boolean;
  logger: Logger;
  /** Longest a fetch waits for data; bounds how long `stop()` waits for an idle fetch. @defaultValue 1000 */
  maxWaitTimeMs?: number;
  /** @defaultValue 30000 */
  sessionTimeoutMs?: number;
  /** @defaultValue 3000 */
  heartbeatIntervalMs?: number;
}

export interface TweetConsumer {
  /** Joins the group and starts handing batches to `handler`; resolves once running. */
  start(handler: PartitionBatchHandler): Promise<void>;
  /**
   * Stops fetching, waits for the in-flight batches to finish or abandon (the handler sees
   * `isRunning() === false`), commits what they marked done, leaves the group and disconnects.
   */
  stop(): Promise<void>;
  /** Partitions of the input topic this member owns now. */
  assignment(): number[];
  /** The group's committed offset of a partition (undefined when none). */
  committedOffset(partition: number): Promise<string | undefined>;
  /** Called after every rebalance with this member's new partitions of the topic. */
  onAssign(listener: (partitions: number[]) => void): void;
  /** kafkajs gave up (after its own retries); `willRestart` tells whether it restarts by itself. */
  onCrash(listener: (error: Error, willRestart: boolean) => void): void;
}

/**
 * A kafkajs consumer-group member reading one topic with `eachBatch`. kafkajs keeps per-partition
 * positions: the next fetch of a partition starts after the last offset the pipeline marked done,
 * and eachBatchAutoResolve is off so an abandoned batch is never marked done by accident.
 * Auto-commit is off too: an offset is committed only when the pipeline calls `commit()` on the
 * batch, right after marking a finished chunk (see pipeline/chunk-output.ts). kafkajs
 * rejoins the group only after every in-flight batch has settled, so offsets marked by a batch are
 * committed under the generation that still owns its partition — nothing is ever committed for a
 * partition that was revoked.
 */
export function createTweetConsumer(options: TweetConsumerOptions): TweetConsumer {
  const { kafka, groupId, topic, logger } = options;
  // Input records may carry thousands of headers; kafkajs alone decodes them in quadratic time.
  useLinearHeaderDecoding();
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
    maxWaitTimeInMs: options.maxWaitTimeMs ?? 1_000,
    // Transactional producers upstream (or our own output) must never leak aborted records.
    readUncommitted: false,
    // kafkajs restarts a crashed consumer (broker outage) on its own; never once we are stopping,
    // or a restart racing with stop() would rejoin the group after shutdown.
    retry: { restartOnFailure: async () => !stopping },
  });
  let assigned: number[] = [];
  let stopping = false;
  let admin: Admin | undefined;
  const assignListeners: Array<(partitions: number[]) => void> = [];

  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    assigned = [...(event.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
    logger.info({ groupId, topic, partitions: assigned }, 'partitions assigned');
    for (const listener of assignListeners) listener([...assigned]);
    // A crash-restart that was already under way when stop() ran: leave again.
    if (stopping) void consumer.disconnect().catch(() => undefined);
  });

  function toPartitionBatch(payload: EachBatchPayload): PartitionBatch {
    const { batch } = payload;
    let done: string | undefined;
    return {
      topic: batch.topic,
      partition: batch.partition,
      envelopes: batch.messages.map((message) => toEnvelope(batch.topic, batch.partition, message)),
      markDone: (offset) => {
        payload.resolveOffset(offset);
        done = offset;
      },
      commit: async () => {
        if (!options.commitOffsets || done === undefined) return;
        // Given offsets, kafkajs commits exactly these (the next offset to read), at once.
        const next = (BigInt(done) + 1n).toString();
        await payload.commitOffsetsIfNecessary({
          topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }],
        });
      },
      heartbeat: () => payload.heartbeat(),
      isRunning: () => payload.isRunning() && !payload.isStale(),
      pause: () => payload.pause(),
    };
  }

  return {
    async start(handler) {
      await consumer.connect();
      // A new group starts at the beginning so events produced before the first replica are not skipped.
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: options.partitionConcurrency ?? 4,
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => handler(toPartitionBatch(payload)),
      });
    },
    async stop() {
      stopping = true;
      // disconnect() stops the runner first: it waits for in-flight batches and commits their offsets.
      await consumer.disconnect();
      if (admin) await admin.disconnect();
    },
    assignment: () => [...assigned],
    async committedOffset(partition) {
      if (!admin) {
        admin = kafka.admin();
        await admin.connect();
      }
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const found = entry?.partitions.find((candidate) => candidate.partition === partition);
      return found && Number(found.offset) >= 0 ? found.offset : undefined;
    },
    onAssign(listener) {
      assignListeners.push(listener);
    },
    onCrash(listener) {
      consumer.on(consumer.events.CRASH, (event) => listener(event.payload.error, event.payload.restart));
    },
  };
}
