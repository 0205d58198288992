import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Kafka, type Message } from 'kafkajs';
import type { TweetEncoder } from '../../codec';
import { ensureTopic, type EnsuredTopic } from '../../kafka/ensure-topic';
import type { SourcedTweet } from './tweet-source';

/** The header that carries a line's label when `--label-header` is given. */
export const EXPECTED_LABEL_HEADER = 'x-expected-label';

export interface PublishOptions {
  kafka: Kafka;
  topic: string;
  /** Partitions of the topic when it has to be created. @defaultValue 4 */
  partitions?: number;
  tweets: AsyncIterable<SourcedTweet>;
  encoder: TweetEncoder;
  /** Messages per producer request. @defaultValue 500 */
  batchSize?: number;
  /** Messages per second, undefined = as fast as the broker takes them. */
  rate?: number;
  /** Put each line's label in the `x-expected-label` header. @defaultValue false */
  labelHeader?: boolean;
  /** Called after each acknowledged batch with the running total. */
  onProgress?: (published: number) => void;
}

export interface PublishSummary {
  topic: string;
  published: number;
  /** True when the topic did not exist and was created with `partitions`. */
  createdTopic: boolean;
  partitions: number;
  elapsedMs: number;
}

/** Creates the topic when it is missing; returns whether it did and the topic's partition count. */
async function ensureInputTopic(kafka: Kafka, topic: string, partitions: number): Promise<EnsuredTopic> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await ensureTopic(admin, { topic, numPartitions: partitions });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Publishes tweets as Avro (the codec's wire format), keyed by tweet id, in batches, through an idempotent
 * producer with acks=all: a retried request never duplicates a message. With `rate`, batches shrink to a
 * tenth of a second's worth and are paced against the wall clock so the average rate holds.
 */
export async function publishTweets(options: PublishOptions): Promise<PublishSummary> {
  const started = Date.now();
  const rate = options.rate !== undefined && options.rate > 0 ? options.rate : undefined;
  const batchSize =
    rate === undefined
      ? (options.batchSize ?? 500)
      : Math.max(1, Math.min(options.batchSize ?? 500, Math.round(rate / 10)));
  const topic = await ensureInputTopic(options.kafka, options.topic, options.partitions ?? 4);
  // The Java client's murmur2 partitioner: a key lands on the same partition as from any other producer.
  const producer = options.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  let published = 0;
  try {
    let batch: Message[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      await producer.send({ topic: options.topic, acks: -1, messages: batch });
      published += batch.length;
      batch = [];
      options.onProgress?.(published);
      if (rate !== undefined) {
        const dueMs = (published / rate) * 1000 - (Date.now() - started);
        if (dueMs > 0) await sleep(dueMs);
      }
    };
    for await (const { tweet, label } of options.tweets) {
      const headers =
        options.labelHeader && label !== undefined ? { [EXPECTED_LABEL_HEADER]: label } : undefined;
      batch.push({
        key: tweet.id,
        value: await options.encoder.encode(tweet),
        ...(headers ? { headers } : {}),
      });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  return {
    topic: options.topic,
    published,
    createdTopic: topic.created,
    partitions: topic.partitions,
    elapsedMs: Date.now() - started,
  };
}
