import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * Retention of the alert topic when we create it: 7 days. A replica taking over reads the whole
 * alert topic into its ledger, so it must stay small; a week of alerts is a few thousand records.
 */
export const ALERT_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * Creates a topic unless it exists. Two processes creating it at once (alerts and dashboard at
 * start) is fine: whoever loses the race finds the topic there.
 */
export async function ensureTopic(
  admin: Admin,
  topic: string,
  numPartitions: number,
  retentionMs?: number,
): Promise<void> {
  if ((await admin.listTopics()).includes(topic)) return;
  const configEntries =
    retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(retentionMs) }];
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions, configEntries }] });
  } catch (error) {
    if (!(await admin.listTopics()).includes(topic)) throw error;
  }
}

/**
 * Resolves once `topic` exists. The output topic is the worker's to create (with the input's
 * partition count), so readers of it wait rather than create it with a guess.
 */
export async function waitForTopic(
  admin: Admin,
  topic: string,
  logger: Logger,
  stopped: () => boolean,
  pollMs = 2_000,
): Promise<boolean> {
  let warned = false;
  for (;;) {
    // Checked before asking the broker: once stopped, the admin client is (being) disconnected.
    if (stopped()) return false;
    if ((await admin.listTopics()).includes(topic)) return true;
    if (!warned) {
      logger.warn({ topic }, 'waiting for the topic to exist (is the worker running?)');
      warned = true;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
