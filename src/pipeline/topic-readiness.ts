import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * Creates a topic unless it exists. Two processes creating it at once (alerts and dashboard at
 * start) is fine: whoever loses the race finds the topic there.
 */
export async function ensureTopic(admin: Admin, topic: string, numPartitions: number): Promise<void> {
  if ((await admin.listTopics()).includes(topic)) return;
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions }] });
  } catch (error) {
    if (!(await admin.listTopics()).includes(topic)) throw error;
  }
}

/**
 * Resolves once `topic` exists. The output topic is the worker's to create (with the input's
 * partition count), so readers of it wait rather than create it with a guess.
 */
export async function waitForTopic(admin: Admin, topic: string, logger: Logger, stopped: () => boolean, pollMs = 2_000): Promise<boolean> {
  let warned = false;
  for (;;) {
    if ((await admin.listTopics()).includes(topic)) return true;
    if (stopped()) return false;
    if (!warned) {
      logger.warn({ topic }, 'waiting for the topic to exist (is the worker running?)');
      warned = true;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
