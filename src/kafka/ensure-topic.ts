import type { Admin } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  /** Partitions of a new topic. @defaultValue the broker's num.partitions */
  numPartitions?: number;
  /** @defaultValue the broker's default.replication.factor */
  replicationFactor?: number;
  /** `retention.ms` of a new topic. @defaultValue the broker's */
  retentionMs?: number;
}

export interface EnsuredTopic {
  /** False when the topic was there already (also when another process created it first). */
  created: boolean;
  /** The topic's partition count as the broker reports it now. */
  partitions: number;
}

/**
 * Creates a topic unless it exists — the one create-if-missing helper of every application. Racing
 * creators are fine: kafkajs answers `false` for TOPIC_ALREADY_EXISTS, so whoever loses the race
 * finds the topic there; an existing topic keeps its own settings.
 */
export async function ensureTopic(admin: Admin, spec: TopicSpec): Promise<EnsuredTopic> {
  const configEntries =
    spec.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(spec.retentionMs) }];
  const created = await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: spec.topic,
        numPartitions: spec.numPartitions ?? -1,
        replicationFactor: spec.replicationFactor ?? -1,
        configEntries,
      },
    ],
  });
  const metadata = await admin.fetchTopicMetadata({ topics: [spec.topic] });
  return { created, partitions: metadata.topics[0]?.partitions.length ?? 0 };
}
