import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { ALERT_RETENTION_MS, type EmotionAlert, type TweetEmotion, type TweetEmotionDecoder } from '../core';
import { ensureTopic } from '../kafka/ensure-topic';
import { waitForTopic } from '../kafka/wait-for-topic';

export interface DashboardFeedOptions {
  outputTopic: string;
  alertTopic: string;
  /** Each dashboard reads with its own throw-away groups `<prefix>-<random>`; it commits nothing. */
  groupPrefix: string;
}

/** Where the feed delivers (the dashboard server). */
export interface DashboardSink {
  recordEvent(event: TweetEmotion): void;
  recordAlert(alert: EmotionAlert): void;
  setConsumerLag(lag: number): void;
}

export interface DashboardFeedDeps {
  kafka: Kafka;
  decoder: TweetEmotionDecoder;
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
 * Feeds the dashboard: the output topic from its current end (a live view, not a replay) and the
 * alert topic from the beginning (recent alerts are shown on load; the page keeps the newest).
 */
export function createDashboardFeed(options: DashboardFeedOptions, deps: DashboardFeedDeps): DashboardFeed {
  const { kafka, decoder, sink, logger } = deps;
  const suffix = randomUUID().slice(0, 8);
  const events = kafka.consumer({ groupId: `${options.groupPrefix}-${suffix}` });
  const alerts = kafka.consumer({ groupId: `${options.groupPrefix}-alerts-${suffix}` });
  const lagByPartition = new Map<number, number>();
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
        if (!(await waitForTopic(admin, options.outputTopic, logger, () => stopped))) return;
      } finally {
        await admin.disconnect();
      }
      await Promise.all([events.connect(), alerts.connect()]);
      await events.subscribe({ topic: options.outputTopic, fromBeginning: false });
      await alerts.subscribe({ topic: options.alertTopic, fromBeginning: true });
      await events.run({
        eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
          for (const message of batch.messages) {
            if (message.value) {
              try {
                sink.recordEvent(await decoder.decode(message.value));
              } catch (error) {
                logger.debug(
                  { err: error, partition: batch.partition, offset: message.offset },
                  'dashboard: undecodable record skipped',
                );
              }
            }
            resolveOffset(message.offset);
          }
          lagByPartition.set(batch.partition, Number(batch.offsetLag()));
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
