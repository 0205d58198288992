import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';
import { ConfigError } from '../core';
import { ensureTopic } from '../kafka/ensure-topic';

export interface OutputTopicOptions {
  kafka: Kafka;
  inputTopic: string;
  /** The topic to make sure of: the output topic, or the unclassified topic (created the same way). */
  outputTopic: string;
  /** Partitions for a new output topic; undefined = as many as the input topic has. */
  partitions?: number;
  /** Undefined = the broker's default.replication.factor. */
  replicationFactor?: number;
}

export type OutputTopicResult = ({ created: false } | { created: true; partitions: number }) & {
  /** The topic's `max.message.bytes`; undefined when the broker would not say (e.g. no DescribeConfigs ACL). */
  maxMessageBytes?: number;
};

/** The topic's effective `max.message.bytes` (its own or the broker's default), or undefined. */
async function readMaxMessageBytes(admin: Admin, topic: string): Promise<number | undefined> {
  try {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }],
    });
    const entry = described.resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes');
    const bytes = Number(entry?.configValue);
    return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure the output topic exists. A new one gets the input's partition count by default, so
 * the output scales like the input. Throws when the input topic does not exist: consuming from a
 * topic nobody writes to is a misconfiguration worth failing on at start. Also reads the topic's
 * `max.message.bytes`, so sends can be cut to what the broker accepts.
 */
export async function ensureOutputTopic(options: OutputTopicOptions): Promise<OutputTopicResult> {
  const admin = options.kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    if (!existing.has(options.inputTopic)) {
      throw new ConfigError(`INPUT_TOPIC: topic "${options.inputTopic}" does not exist on the broker`);
    }
    if (existing.has(options.outputTopic))
      return { created: false, maxMessageBytes: await readMaxMessageBytes(admin, options.outputTopic) };
    const metadata = await admin.fetchTopicMetadata({ topics: [options.inputTopic] });
    const ensured = await ensureTopic(admin, {
      topic: options.outputTopic,
      numPartitions: options.partitions ?? metadata.topics[0]?.partitions.length ?? 1,
      replicationFactor: options.replicationFactor,
    });
    const maxMessageBytes = await readMaxMessageBytes(admin, options.outputTopic);
    return ensured.created
      ? { created: true, partitions: ensured.partitions, maxMessageBytes }
      : { created: false, maxMessageBytes };
  } finally {
    await admin.disconnect();
  }
}
