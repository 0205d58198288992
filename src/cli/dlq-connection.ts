import { InvalidArgumentError, type Command } from 'commander';
import { DEAD_LETTER_SETTINGS, KAFKA_CONNECTION_SETTINGS } from '../config/worker-settings';
import { dlqSettingsFromEnv, type DlqSettings } from '../config/dlq-settings';
import { openDeadLetterStore, type OpenedDeadLetterStore } from '../dlq';

/** Flags every `dlq` subcommand takes to find Redis (and Kafka for replay). */
export interface ConnectionFlags {
  redisUrl?: string;
  queue?: string;
  brokers?: string;
  timeoutMs?: string;
}

function settingsFrom(flags: ConnectionFlags): DlqSettings {
  return dlqSettingsFromEnv({
    ...process.env,
    REDIS_URL: flags.redisUrl ?? process.env.REDIS_URL,
    DLQ_QUEUE: flags.queue ?? process.env.DLQ_QUEUE,
    KAFKA_BROKERS: flags.brokers ?? process.env.KAFKA_BROKERS,
    DLQ_REDIS_TIMEOUT_MS: flags.timeoutMs ?? process.env.DLQ_REDIS_TIMEOUT_MS,
    // The CLI never mirrors: it only reads and removes entries.
    DLQ_TOPIC: undefined,
  });
}

/** Opens the dead-letter store for one subcommand and closes it afterwards, whatever happened. */
export async function withStore<T>(
  flags: ConnectionFlags,
  use: (opened: OpenedDeadLetterStore, settings: DlqSettings) => Promise<T>,
): Promise<T> {
  const settings = settingsFrom(flags);
  const opened = await openDeadLetterStore(settings);
  try {
    return await use(opened, settings);
  } finally {
    await opened.close();
  }
}

export function withConnectionOptions(command: Command, kafka = false): Command {
  command
    .option(
      '--redis-url <url>',
      `Redis holding the dead letters (env REDIS_URL, default ${DEAD_LETTER_SETTINGS.REDIS_URL.defaultText})`,
    )
    .option(
      '--queue <name>',
      `BullMQ queue of the dead letters (env DLQ_QUEUE, default ${DEAD_LETTER_SETTINGS.DLQ_QUEUE.defaultText})`,
    )
    .option(
      '--timeout-ms <ms>',
      `fail when Redis does not answer within this time (env DLQ_REDIS_TIMEOUT_MS, default ${DEAD_LETTER_SETTINGS.DLQ_REDIS_TIMEOUT_MS.defaultText})`,
    );
  if (kafka)
    command.option(
      '--brokers <list>',
      `Kafka bootstrap brokers, comma-separated (env KAFKA_BROKERS, default ${KAFKA_CONNECTION_SETTINGS.KAFKA_BROKERS.defaultText})`,
    );
  return command;
}

/** Parses a flag's whole number of at least 1 (commander reports the flag when it is not one). */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1');
  return parsed;
}

/** Entries read from Redis per round trip by `list` and `replay --all`. */
export const DEFAULT_PAGE_SIZE = 500;
