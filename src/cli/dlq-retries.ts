import type { Command } from 'commander';
import type { DlqSettings } from '../config/dlq-settings';
import { BullmqRetryQueue, RETRY_JOB_STATES, type OpenedDeadLetterStore, type RetryJobState } from '../dlq';
import { ConfigError } from '../core';
import {
  DEFAULT_PAGE_SIZE,
  positiveInteger,
  withConnectionOptions,
  withStore,
  type ConnectionFlags,
} from './dlq-connection';
import { retryTable } from './dlq-format';
import { printPages } from './paged-output';

interface RetriesFlags extends ConnectionFlags {
  json?: boolean;
  state?: string[];
  limit?: number;
  pageSize: number;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The retry queue beside the dead letters (`<DLQ_QUEUE>-retry`), read-only for these commands. */
function retryQueueOf(
  store: OpenedDeadLetterStore['store'],
  connection: OpenedDeadLetterStore['connection'],
  settings: DlqSettings,
): BullmqRetryQueue {
  return new BullmqRetryQueue({
    connection,
    queueName: `${settings.queueName}-retry`,
    deadLetters: store,
    timeoutMs: settings.redisTimeoutMs,
  });
}

function statesFrom(requested: readonly string[] | undefined): RetryJobState[] {
  if (!requested || requested.length === 0) return [...RETRY_JOB_STATES];
  const unknown = requested.filter((state) => !(RETRY_JOB_STATES as readonly string[]).includes(state));
  if (unknown.length > 0)
    throw new ConfigError(`--state must be one of ${RETRY_JOB_STATES.join(', ')}; got ${unknown.join(', ')}`);
  return requested as RetryJobState[];
}

/** `dlq retries` and `dlq stats`: what the retry queue (`<DLQ_QUEUE>-retry`) holds, next to the DLQ. */
export function registerQueueCommands(dlq: Command): void {
  withConnectionOptions(dlq.command('retries'))
    .description(
      'List the retry queue (<queue>-retry): records waiting for, backing off before or running another attempt, and "failed" jobs that could not even be dead-lettered (they stay until removed in Redis).',
    )
    .option(
      '--json',
      'print one JSON array of jobs (the entry fields plus state, attemptsMade, failedReason)',
    )
    .option(
      '--state <state>',
      `only jobs in this state (${RETRY_JOB_STATES.join(', ')}); repeatable`,
      collect,
    )
    .option('--limit <n>', 'show at most this many jobs', positiveInteger)
    .option('--page-size <n>', 'jobs read from Redis per round trip', positiveInteger, DEFAULT_PAGE_SIZE)
    .action(async (flags: RetriesFlags) => {
      const states = statesFrom(flags.state);
      await withStore(flags, async ({ store, connection }, settings) => {
        const queue = retryQueueOf(store, connection, settings);
        try {
          const shown = await printPages((start, end) => queue.list(states, start, end), {
            ...flags,
            table: retryTable(),
          });
          if (flags.json) return;
          if (shown === 0) process.stdout.write(`no jobs in ${queue.queueName}\n`);
          else process.stdout.write(`${shown} job(s) shown from ${queue.queueName}\n`);
        } finally {
          await queue.close();
        }
      });
    });

  withConnectionOptions(dlq.command('stats'))
    .description("Count the dead letters and the retry queue's jobs by state.")
    .option('--json', 'print the counts as one JSON object')
    .action(async (flags: ConnectionFlags & { json?: boolean }) => {
      await withStore(flags, async ({ store, connection }, settings) => {
        const queue = retryQueueOf(store, connection, settings);
        try {
          const stats = {
            deadLetters: { queue: store.queueName, entries: await store.count() },
            retries: { queue: queue.queueName, ...(await queue.counts()) },
          };
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(stats)}\n`);
            return;
          }
          const { queue: retryQueue, ...counts } = stats.retries;
          process.stdout.write(
            `${stats.deadLetters.entries} dead letter(s) in ${stats.deadLetters.queue}\n` +
              `${retryQueue}: ${Object.entries(counts)
                .map(([state, count]) => `${count} ${state}`)
                .join(', ')}\n`,
          );
        } finally {
          await queue.close();
        }
      });
    });
}
