import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';

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
