import type { Kafka } from 'kafkajs';
import { ConfigError } from '../core';
import { ensureTopic } from '../kafka/ensure-topic';

export interface OutputTopicOptions {
  kafka: Kafka;
  inputTopic: string;
  outputTopic: string;
  /** Partitions for a new output topic; undefined = as many as the input topic has. */
  partitions?: number;
  /** Undefined = the broker's default.replication.factor. */
  replicationFactor?: number;
}

export type OutputTopicResult = { created: false } | { created: true; partitions: number };

/**
 * Makes sure the output topic exists. A new one gets the input's partition count by default, so
 * the output scales like the input. Throws when the input topic does not exist: consuming from a
 * topic nobody writes to is a misconfiguration worth failing on at start.
 */
export async function ensureOutputTopic(options: OutputTopicOptions): Promise<OutputTopicResult> {
  const admin = options.kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    if (!existing.has(options.inputTopic)) {
      throw new ConfigError(`INPUT_TOPIC: topic "${options.inputTopic}" does not exist on the broker`);
    }
    if (existing.has(options.outputTopic)) return { created: false };
    const metadata = await admin.fetchTopicMetadata({ topics: [options.inputTopic] });
    const ensured = await ensureTopic(admin, {
      topic: options.outputTopic,
      numPartitions: options.partitions ?? metadata.topics[0]?.partitions.length ?? 1,
      replicationFactor: options.replicationFactor,
    });
    return ensured.created ? { created: true, partitions: ensured.partitions } : { created: false };
  } finally {
    await admin.disconnect();
  }
}
