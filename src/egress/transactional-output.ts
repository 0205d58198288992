import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { byTopic } from './output-producer';
import type { OutputRecord } from './output-record';
import { DEFAULT_MAX_REQUEST_BYTES, recordBytes, splitBySize, type OutputSizeLimit } from '../core/record-size';

export interface TransactionalOutputOptions {
  kafka: Kafka;
  /** The consumer group whose offsets the transactions commit. */
  groupId: string;
  /** Transactional ids are `<prefix>-<inputTopic>-<partition>`. */
  transactionalIdPrefix: string;
  logger: Logger;
  /** @defaultValue 60000 */
  transactionTimeoutMs?: number;
  /** A chunk's records go out in requests of at most this many record bytes. @defaultValue DEFAULT_MAX_REQUEST_BYTES */
  limit?: OutputSizeLimit;
}

export interface TransactionalChunk {
  inputTopic: string;
  partition: number;
  /** Output and unclassified records: all of them commit with the offset, or none. */
  records: readonly OutputRecord[];
  /** The input offset to commit: the last finished offset + 1. */
  nextOffset: string;
}

/**
 * Exactly-once output: the records of a chunk (enriched and not classified) and the input offset
 * after it are committed in one Kafka transaction.
 *
 * Zombie fencing. kafkajs' sendOffsets carries no consumer-group generation (KIP-447 is not
 * implemented), so the broker cannot fence a member that lost its partitions by group
 * metadata. We use the older scheme instead: one transactional producer per input partition,
 * transactionalId = `<prefix>-<topic>-<partition>`, stable across replicas and restarts. When a
 * partition moves, its new owner's `acquire` initialises that same id, which bumps the producer
 * epoch: the old owner's open transaction is aborted and any later write from it fails with a
 * fencing error. The caller re-reads the committed offset after `acquire` (see pipeline), because
 * the position kafkajs fetched before the fence may predate the zombie's last commit.
 */
export interface TransactionalOutput {
  /** Creates (or re-initialises) the partition's producer, fencing any previous owner. */
  acquire(inputTopic: string, partition: number): Promise<void>;
  isAcquired(inputTopic: string, partition: number): boolean;
  /**
   * One transaction: the records plus the offset commit. On any failure it is aborted, the
   * partition's producer is dropped (acquire again before the next commit) and the error rethrown.
   */
  commit(chunk: TransactionalChunk): Promise<void>;
  /** Disconnects the producers of partitions no longer owned (their ids are free for the new owner). */
  releaseAllExcept(inputTopic: string, keep: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

export function createTransactionalOutput(options: TransactionalOutputOptions): TransactionalOutput {
  const producers = new Map<string, Producer>();
  const limit = options.limit ?? { maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES };
  const keyOf = (topic: string, partition: number) => `${topic}-${partition}`;

  async function disconnect(key: string): Promise<void> {
    const producer = producers.get(key);
    producers.delete(key);
    if (producer) await producer.disconnect();
  }

  return {
    async acquire(inputTopic, partition) {
      const key = keyOf(inputTopic, partition);
      await disconnect(key);
      const producer = options.kafka.producer({
        transactionalId: `${options.transactionalIdPrefix}-${key}`,
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: options.transactionTimeoutMs ?? 60_000,
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      // kafkajs runs InitProducerId (the fence) on the first transaction; an empty one does just that.
      const fence = await producer.transaction();
      await fence.abort();
      producers.set(key, producer);
      options.logger.debug({ inputTopic, partition }, 'transactional producer ready');
    },
    isAcquired: (inputTopic, partition) => producers.has(keyOf(inputTopic, partition)),
    async commit(chunk) {
      const producer = producers.get(keyOf(chunk.inputTopic, chunk.partition));
      if (!producer)
        throw new Error(
          `no transactional producer for ${chunk.inputTopic}-${chunk.partition}: acquire it first`,
        );
      const transaction = await producer.transaction();
      try {
        // Several requests in one transaction: all of them commit or abort together.
        for (const request of splitBySize(chunk.records, limit.maxRequestBytes, recordBytes)) {
          await transaction.sendBatch({ acks: -1, topicMessages: byTopic(request) });
        }
        await transaction.sendOffsets({
          consumerGroupId: options.groupId,
          topics: [
            {
              topic: chunk.inputTopic,
              partitions: [{ partition: chunk.partition, offset: chunk.nextOffset }],
            },
          ],
        });
        await transaction.commit();
      } catch (error) {
        if (transaction.isActive()) await transaction.abort().catch(() => undefined);
        // The producer may be fenced (another replica took the partition) or in an unknown state:
        // drop it, so the next batch of this partition acquires again, which re-fences and makes
        // the caller re-read the committed offset before producing anything.
        await disconnect(keyOf(chunk.inputTopic, chunk.partition)).catch(() => undefined);
        throw error;
      }
    },
    async releaseAllExcept(inputTopic, keep) {
      const wanted = new Set(keep.map((partition) => keyOf(inputTopic, partition)));
      const stale = [...producers.keys()].filter(
        (key) => key.startsWith(`${inputTopic}-`) && !wanted.has(key),
      );
      await Promise.all(stale.map(disconnect));
    },
    async close() {
      await Promise.all([...producers.keys()].map(disconnect));
    },
  };
}
