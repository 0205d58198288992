import { Command, Option } from 'commander';
import { createInterface } from 'node:readline/promises';
import pino from 'pino';
import { dlqSettingsFromEnv, type DlqSettings } from '../config/dlq-settings';
import { ConfigError } from '../core';
import {
  KafkaRecordPublisher,
  openDeadLetterStore,
  replayDeadLetters,
  type OpenedDeadLetterStore,
} from '../dlq';
import { decodedHeaders, formatEntryTable } from './dlq-format';
import { kafkaFrom } from './stream-flags';

interface ConnectionFlags {
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

async function withStore<T>(
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

function withConnectionOptions(command: Command, kafka = false): Command {
  command
    .option(
      '--redis-url <url>',
      'Redis holding the dead letters (env REDIS_URL, default redis://127.0.0.1:6379)',
    )
    .option('--queue <name>', 'BullMQ queue of the dead letters (env DLQ_QUEUE, default emotion-stream-dlq)')
    .option(
      '--timeout-ms <ms>',
      'fail when Redis does not answer within this time (env DLQ_REDIS_TIMEOUT_MS, default 2000)',
    );
  if (kafka)
    command.option(
      '--brokers <list>',
      'Kafka bootstrap brokers, comma-separated (env KAFKA_BROKERS, default 127.0.0.1:9092)',
    );
  return command;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function register(program: Command): void {
  const dlq = program
    .command('dlq')
    .description(
      'Inspect and drain the dead-letter queue: records that could not be enriched, kept in Redis (BullMQ) with their original bytes and the reason.',
    );

  withConnectionOptions(dlq.command('list'))
    .description('List dead letters, oldest first, as a table (or JSON).')
    .option(
      '--json',
      'print one JSON array of entries (id, code, stage, topic, partition, offset, ... and the original bytes as base64)',
    )
    .option('--limit <n>', 'show at most this many entries', (value) => Number.parseInt(value, 10))
    .action(async (flags: ConnectionFlags & { json?: boolean; limit?: number }) => {
      await withStore(flags, async ({ store }) => {
        const entries = await store.list(0, flags.limit && flags.limit > 0 ? flags.limit - 1 : -1);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(entries)}\n`);
        } else if (entries.length === 0) {
          process.stdout.write(`no dead letters in ${store.queueName}\n`);
        } else {
          const total = await store.count();
          process.stdout.write(
            `${formatEntryTable(entries)}\n${entries.length} of ${total} dead letter(s) in ${store.queueName}\n`,
          );
        }
      });
    });

  withConnectionOptions(
    dlq.command('show').argument('<id>', 'entry id, topic:partition:offset (see dlq list)'),
  )
    .description('Print one dead letter as JSON, with its headers decoded where they are text.')
    .action(async (id: string, flags: ConnectionFlags) => {
      await withStore(flags, async ({ store }) => {
        const entry = await store.get(id);
        if (!entry) throw new ConfigError(`no dead letter with id ${id} in ${store.queueName}`);
        process.stdout.write(
          `${JSON.stringify({ ...entry, decodedHeaders: decodedHeaders(entry) }, null, 2)}\n`,
        );
      });
    });

  withConnectionOptions(
    dlq.command('replay').argument('[ids...]', 'entry ids to replay (topic:partition:offset)'),
    true,
  )
    .description(
      "Re-publish dead letters' original key, value and headers to their original topic (or --topic), removing each entry only after Kafka acknowledged it. Fix the cause first.",
    )
    .option('--all', 'replay every entry, oldest first')
    .option('--topic <topic>', "publish to this topic instead of each entry's original one")
    .action(async (ids: string[], flags: ConnectionFlags & { all?: boolean; topic?: string }) => {
      if (!flags.all && ids.length === 0) throw new ConfigError('dlq replay needs entry ids or --all');
      if (flags.all && ids.length > 0)
        throw new ConfigError('dlq replay takes either entry ids or --all, not both');
      await withStore(flags, async ({ store }, settings) => {
        // KAFKA_SSL* / KAFKA_SASL* apply as for the worker; kafkajs' retry chatter stays quiet (the one
        // error that matters is reported).
        const kafka = kafkaFrom(
          { brokers: settings.kafkaBrokers.join(','), clientId: 'emotion-stream-dlq' },
          pino({ level: 'silent' }),
        );
        const publisher = await KafkaRecordPublisher.connect(kafka);
        try {
          const report = await replayDeadLetters(store, publisher, {
            ids,
            all: flags.all,
            topic: flags.topic,
          });
          process.stdout.write(`replayed ${report.replayed.length} dead letter(s)\n`);
          for (const id of report.missing) process.stderr.write(`not found: ${id}\n`);
          if (report.error) throw report.error;
          if (report.missing.length > 0) process.exitCode = 1;
        } finally {
          await publisher.close();
        }
      });
    });

  withConnectionOptions(dlq.command('purge'))
    .description('Delete every dead letter in the queue (asks first on a terminal).')
    .addOption(new Option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)'))
    .action(async (flags: ConnectionFlags & { yes?: boolean }) => {
      await withStore(flags, async ({ store }) => {
        if (!flags.yes) {
          if (!process.stdin.isTTY)
            throw new ConfigError('dlq purge deletes every dead letter: pass --yes to confirm');
          const count = await store.count();
          if (!(await confirm(`Delete all ${count} dead letter(s) in ${store.queueName}? [y/N] `))) {
            process.stdout.write('nothing deleted\n');
            return;
          }
        }
        const removed = await store.purge();
        process.stdout.write(`purged ${removed} dead letter(s) from ${store.queueName}\n`);
      });
    });
}
