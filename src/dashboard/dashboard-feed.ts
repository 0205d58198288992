import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import {
  ALERT_RETENTION_MS,
  type EmotionAlert,
  type TweetEmotion,
  type TweetEmotionDecoder,
  type TweetUnclassified,
} from '../core';
import { ensureTopic } from '../kafka/ensure-topic';
import { waitForTopic } from '../kafka/wait-for-topic';

export interface DashboardFeedOptions {
  outputTopic: string;
  /** The worker's UNCLASSIFIED_TOPIC: tweets not classified because of their language. */
  unclassifiedTopic: string;
  alertTopic: string;
  /** Each dashboard reads with its own throw-away groups `<prefix>-<random>`; it commits nothing. */
  groupPrefix: string;
}

/** Where the feed delivers (the dashboard server). */
export interface DashboardSink {
  recordEvent(event: TweetEmotion): void;
  recordUnclassified(event: TweetUnclassified): void;
  recordAlert(alert: EmotionAlert): void;
  setConsumerLag(lag: number): void;
}

export interface DashboardFeedDeps {
  kafka: Kafka;
  decoder: TweetEmotionDecoder;
  /** codec.tweetUnclassifiedDecoder */
  decodeUnclassified: (value: Buffer) => Promise<TweetUnclassified>;
  decodeAlert: (value: Buffer) => EmotionAlert;
  sink: DashboardSink;
  logger: Logger;
}

export interface DashboardFeed {
  start(): Promise<void>;
  /** Resolves once both consumers have their partitions (tests publish after it). */
  whenJoined(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Feeds the dashboard: the output and unclassified topics from their current ends (a live view, not a
 * replay; one consumer for both, so the not-classified share compares like with like) and the alert topic
 * from the beginning (recent alerts are shown on load; the page keeps the newest).
 */
export function createDashboardFeed(options: DashboardFeedOptions, deps: DashboardFeedDeps): DashboardFeed {
  const { kafka, decoder, sink, logger } = deps;
  const suffix = randomUUID().slice(0, 8);
  const events = kafka.consumer({ groupId: `${options.groupPrefix}-${suffix}` });
  const alerts = kafka.consumer({ groupId: `${options.groupPrefix}-alerts-${suffix}` });
  const lagByPartition = new Map<string, number>();
  const joined = (consumer: Consumer) =>
    new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  let stopped = false;
  const bothJoined = Promise.all([joined(events), joined(alerts)]).then(() => undefined);

  return {
    async start() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        // The alert topic may not exist yet (no `alerts` process has run): create it so the page can wait on it.
        await ensureTopic(admin, {
          topic: options.alertTopic,
          numPartitions: 1,
          retentionMs: ALERT_RETENTION_MS,
        });
        // The worker creates both at start; the page waits for them like for the output topic.
        for (const topic of [options.outputTopic, options.unclassifiedTopic])
          if (!(await waitForTopic(admin, topic, logger, () => stopped))) return;
      } finally {
        await admin.disconnect();
      }
      await Promise.all([events.connect(), alerts.connect()]);
      await events.subscribe({
        topics: [options.outputTopic, options.unclassifiedTopic],
        fromBeginning: false,
      });
      await alerts.subscribe({ topic: options.alertTopic, fromBeginning: true });
      await events.run({
        eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
          for (const message of batch.messages) {
            if (message.value) {
              try {
                if (batch.topic === options.unclassifiedTopic)
                  sink.recordUnclassified(await deps.decodeUnclassified(message.value));
                else sink.recordEvent(await decoder.decode(message.value));
              } catch (error) {
                logger.debug(
                  { err: error, topic: batch.topic, partition: batch.partition, offset: message.offset },
                  'dashboard: undecodable record skipped',
                );
              }
            }
            resolveOffset(message.offset);
          }
          lagByPartition.set(`${batch.topic}/${batch.partition}`, Number(batch.offsetLag()));
          sink.setConsumerLag([...lagByPartition.values()].reduce((a, b) => a + b, 0));
          await heartbeat();
        },
      });
      await alerts.run({
        eachMessage: async ({ message }) => {
          if (!message.value) return;
          try {
            sink.recordAlert(deps.decodeAlert(message.value));
          } catch (error) {
            logger.warn({ err: error, offset: message.offset }, 'dashboard: undecodable alert skipped');
          }
        },
      });
    },
    whenJoined() {
      return bothJoined;
    },
    async stop() {
      stopped = true;
      for (const consumer of [events, alerts]) {
        try {
          await consumer.disconnect();
        } catch (error) {
          logger.warn({ err: error }, 'dashboard: error while stopping a consumer');
        }
      }
    },
  };
}
