import { EmotionStreamError, redactText } from '../core';

/**
 * The one line a failed command prints: what failed and what to check. Known failures carry their
 * own message (naming the setting); anything else is a bug, named as such, with its stack only
 * when LOG_LEVEL asks for debug output. Secrets in URLs are redacted either way.
 */
export function fatalMessage(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (error instanceof EmotionStreamError) return `emotion-stream: ${redactText(error.message)}\n`;
  // A Kafka failure after the start (a topic deleted, the group fenced) is the cluster's, not a bug.
  if (error instanceof Error && error.name.startsWith('KafkaJS'))
    return `emotion-stream: Kafka: ${redactText(error.message)}; check KAFKA_BROKERS and the brokers' health\n`;
  const verbose = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
  const detail =
    error instanceof Error
      ? verbose
        ? (error.stack ?? error.message)
        : `${error.name}: ${error.message}`
      : String(error);
  const hint = verbose ? '' : ' (a bug: rerun with LOG_LEVEL=debug for the stack and report it)';
  return `emotion-stream: unexpected error: ${redactText(detail)}${hint}\n`;
}

/**
 * Prints the error's line and exits 1 now. Commands close what they opened before their error
 * reaches here (each with its own deadline); whatever still holds the event loop (a client
 * retrying a broker that is gone) must not keep a failed process alive for its supervisor.
 */
export function exitFatally(error: unknown): never {
  process.stderr.write(fatalMessage(error));
  process.exit(1);
}

/**
 * An error nobody caught (a throw in a callback, a rejected promise nobody awaited) ends the
 * process the same way: one line, exit 1. Offsets are committed only after a message is in the
 * output or the DLQ, so an abrupt exit repeats work but loses nothing.
 */
export function exitOnUncaughtErrors(): void {
  process.on('uncaughtException', (error) => exitFatally(error));
  process.on('unhandledRejection', (reason) => exitFatally(reason));
}

/**
 * After a command stopped in order (a signal): a client library's leftover timer (a Kafka
 * reconnect loop) must not keep the process alive. The timer is unref'd: it only fires when
 * something else still holds the event loop.
 */
export function exitSoonIfStillRunning(graceMs = 1_000): void {
  setTimeout(() => process.exit(process.exitCode ?? 0), graceMs).unref();
}
