import { Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { OutputRecord } from './output-record';
import { DEFAULT_MAX_REQUEST_BYTES, recordBytes, splitBySize, type OutputSizeLimit } from '../core/record-size';

export interface OutputProducerOptions {
  kafka: Kafka;
  /** Sends are split so no request carries more record bytes. @defaultValue DEFAULT_MAX_REQUEST_BYTES */
  limit?: OutputSizeLimit;
}

/** At-least-once output: an idempotent producer with acks=all. */
export interface OutputProducer {
  connect(): Promise<void>;
  /** Resolves once every record is acknowledged by all in-sync replicas. */
  send(records: readonly OutputRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

interface Pending {
  records: readonly OutputRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function toMessage(record: OutputRecord): Message {
  return { key: record.key, value: record.value, headers: record.headers };
}

/** One request's records by topic (each topic's records in their order), as kafkajs' sendBatch takes them. */
export function byTopic(records: readonly OutputRecord[]): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const record of records) {
    const messages = topics.get(record.topic) ?? [];
    messages.push(toMessage(record));
    topics.set(record.topic, messages);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * Sends are coalesced: one produce request is in flight at a time and everything that queued up
 * meanwhile (chunks from several partitions) goes out together in the next round. That keeps the
 * idempotent producer's sequence numbers simple (kafkajs' idempotence does not survive concurrent
 * requests to one partition), and it means no per-message awaits. A round is cut into requests of
 * at most `limit.maxRequestBytes` (the broker refuses a bigger batch with MESSAGE_TOO_LARGE, which is
 * not retriable); a request carries the records of every topic in it (output and unclassified) and
the size limit counts them all. A caller resolves once the last request holding its records is acknowledged. When
 * a request fails, the callers it or a later request of the round carried are rejected.
 * Records of one caller stay in their order, so per-key order holds.
 */
export function createOutputProducer(options: OutputProducerOptions): OutputProducer {
  const producer: Producer = options.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    // Murmur2 of the key, as the Java client: one tweet id always lands in one output partition.
    createPartitioner: Partitioners.DefaultPartitioner,
    // Missing topics are created on purpose (ensureOutputTopic), never by a produce.
    allowAutoTopicCreation: false,
  });
  const limit = options.limit ?? { maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES };
  let queue: Pending[] = [];
  let sending = false;

  async function sendRound(round: readonly Pending[]): Promise<void> {
    const unsent = new Map(round.map((item) => [item, item.records.length]));
    const requests = splitBySize(
      round.flatMap((item) => item.records.map((record) => ({ item, record }))),
      limit.maxRequestBytes,
      (entry) => recordBytes(entry.record),
    );
    try {
      for (const request of requests) {
        await producer.sendBatch({ acks: -1, topicMessages: byTopic(request.map((entry) => entry.record)) });
        for (const { item } of request) {
          const left = (unsent.get(item) ?? 1) - 1;
          unsent.set(item, left);
          if (left === 0) item.resolve();
        }
      }
    } catch (error) {
      for (const [item, left] of unsent) if (left > 0) item.reject(error);
    }
  }

  async function drain(): Promise<void> {
    sending = true;
    try {
      while (queue.length > 0) {
        const round = queue;
        queue = [];
        await sendRound(round);
      }
    } finally {
      sending = false;
    }
  }

  return {
    connect: () => producer.connect(),
    send(records) {
      if (records.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ records, resolve, reject });
        if (!sending) void drain();
      });
    },
    disconnect: () => producer.disconnect(),
  };
}
