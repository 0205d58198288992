import { Command, Option } from 'commander';
import { createInterface } from 'node:readline/promises';
import pino from 'pino';
import { ConfigError } from '../core';
import { KafkaRecordPublisher, replayDeadLetters, type BullmqDeadLetterStore } from '../dlq';
import {
  DEFAULT_PAGE_SIZE,
  positiveInteger,
  withConnectionOptions,
  withStore,
  type ConnectionFlags,
} from './dlq-connection';
import { decodedHeaders, entryTable, escapeControl, terminalSafeJson } from './dlq-format';
import { registerQueueCommands } from './dlq-retries';
import { printPages } from './paged-output';
import { kafkaFrom } from '../apps/stream-clients';

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

interface ListFlags extends ConnectionFlags {
  json?: boolean;
  limit?: number;
  pageSize: number;
}

/**
 * Prints entries oldest first, a page at a time, so a DLQ of millions costs one page of memory.
 * Entries added while it runs may show up at the end; none is skipped (they are only appended).
 */
async function listEntries(store: BullmqDeadLetterStore, flags: ListFlags): Promise<void> {
  const shown = await printPages((start, end) => store.list(start, end), { ...flags, table: entryTable() });
  if (flags.json) return;
  if (shown === 0) process.stdout.write(`no dead letters in ${store.queueName}\n`);
  else process.stdout.write(`${shown} of ${await store.count()} dead letter(s) in ${store.queueName}\n`);
}

export function register(program: Command): void {
  const dlq = program
    .command('dlq')
    .description(
      'Inspect and drain the dead-letter queue: records that could not be enriched, kept in Redis (BullMQ) with their original bytes and the reason. Text from records (ids, codes, messages, headers) is printed with control characters escaped.',
    );

  withConnectionOptions(dlq.command('list'))
    .description('List dead letters, oldest first, as a table (or JSON), reading Redis a page at a time.')
    .option(
      '--json',
      'print one JSON array of entries (id, code, stage, topic, partition, offset, ... and the original bytes as base64)',
    )
    .option('--limit <n>', 'show at most this many entries', positiveInteger)
    .option('--page-size <n>', 'entries read from Redis per round trip', positiveInteger, DEFAULT_PAGE_SIZE)
    .action(async (flags: ListFlags) => {
      await withStore(flags, ({ store }) => listEntries(store, flags));
    });

  withConnectionOptions(
    dlq
      .command('show')
      .argument(
        '<id>',
        'entry id, topic:partition:offset-fingerprint (see dlq list; older entries: topic:partition:offset)',
      ),
  )
    .description('Print one dead letter as JSON, with its headers decoded where they are text.')
    .action(async (id: string, flags: ConnectionFlags) => {
      await withStore(flags, async ({ store }) => {
        const entry = await store.get(id);
        if (!entry) {
          // Ids of entries made since fingerprints were added end in `-<12 hex>`; `dlq list` shows them.
          const hint = /^[^:]+:\d+:\d+$/.test(id) ? ' (ids end in -<fingerprint>: see dlq list)' : '';
          throw new ConfigError(`no dead letter with id ${escapeControl(id)} in ${store.queueName}${hint}`);
        }
        process.stdout.write(`${terminalSafeJson({ ...entry, decodedHeaders: decodedHeaders(entry) }, 2)}\n`);
      });
    });

  withConnectionOptions(
    dlq.command('replay').argument('[ids...]', 'entry ids to replay (see dlq list)'),
    true,
  )
    .description(
      "Re-publish dead letters' original key, value and headers to their original topic (or --topic), removing each entry only after Kafka acknowledged it. Fix the cause first.",
    )
    .option(
      '--all',
      'replay every entry there is when it starts, oldest first, reading Redis a page at a time',
    )
    .option('--topic <topic>', "publish to this topic instead of each entry's original one")
    .option(
      '--page-size <n>',
      '--all: entries read from Redis per round trip',
      positiveInteger,
      DEFAULT_PAGE_SIZE,
    )
    .action(
      async (ids: string[], flags: ConnectionFlags & { all?: boolean; topic?: string; pageSize: number }) => {
        if (!flags.all && ids.length === 0) throw new ConfigError('dlq replay needs entry ids or --all');
        if (flags.all && ids.length > 0)
          throw new ConfigError('dlq replay takes either entry ids or --all, not both');
        await withStore(flags, async ({ store }, settings) => {
          // KAFKA_SSL* / KAFKA_SASL* apply as for the worker; kafkajs' retry chatter stays quiet (the
          // one error that matters is reported).
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
              pageSize: flags.pageSize,
            });
            process.stdout.write(`replayed ${report.replayed.length} dead letter(s)\n`);
            for (const id of report.missing) process.stderr.write(`not found: ${escapeControl(id)}\n`);
            if (report.error) throw report.error;
            if (report.missing.length > 0) process.exitCode = 1;
          } finally {
            await publisher.close();
          }
        });
      },
    );

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

  registerQueueCommands(dlq);
}
