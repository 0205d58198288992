import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import type { OutputRecord } from './output-record';

export interface OutputProducerOptions {
  kafka: Kafka;
  topic: string;
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

/**
 * Sends are coalesced: one produce request is in flight at a time and everything that queued up
 * meanwhile (chunks from several partitions) goes out together in the next one. That keeps the
 * idempotent producer's sequence numbers simple (kafkajs' idempotence does not survive concurrent
 * requests to one partition), and it means no per-message awaits: one request per round.
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
  let queue: Pending[] = [];
  let sending = false;

  async function drain(): Promise<void> {
    sending = true;
    try {
      while (queue.length > 0) {
        const round = queue;
        queue = [];
        try {
          await producer.send({
            topic: options.topic,
            acks: -1,
            messages: round.flatMap((item) => item.records.map(toMessage)),
          });
          for (const item of round) item.resolve();
        } catch (error) {
          for (const item of round) item.reject(error);
        }
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
