import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Codec } from '../../src/codec';
import { BullmqDeadLetterStore, createFailFastRedis, type DeadLetterEntry } from '../../src/dlq';
import { endOffsets, waitFor, type OutputReader } from '../integration/worker/worker-harness';
import { rawTweet } from '../support/poison-samples';
import { readTopic } from '../support/read-topic';
import { redisUrl } from '../support/services';

// Sizes: CI runs a reduced size on 2 cores; RELIABILITY_FULL=1 runs the issue's full size, and each
// number can be set on its own.
const full = process.env.RELIABILITY_FULL === '1';
const numberFromEnv = (name: string, reduced: number, fullSize: number): number => {
  const value = Number(process.env[name] ?? (full ? fullSize : reduced));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};

export const SIZE = {
  /** Events of scenario a (poison mixed in). */
  events: numberFromEnv('RELIABILITY_EVENTS', 2_000, 10_000),
  /** Events of the crash, outage and replay scenarios. */
  streamEvents: numberFromEnv('RELIABILITY_STREAM_EVENTS', 1_500, 5_000),
  /** SIGKILLs of scenario b. */
  kills: numberFromEnv('RELIABILITY_KILLS', 2, 5),
  /** How long Redis stays stopped in scenario d, ms. */
  redisOutageMs: numberFromEnv('RELIABILITY_REDIS_OUTAGE_MS', 10_000, 30_000),
};

/** Raw Avro of the n-th valid tweet of a scenario's stream. */
export const streamTweet = (id: string, text: string, n: number): Buffer =>
  rawTweet({
    id,
    text,
    createdAt: 1_700_000_000_000 + n,
    lang: 'en',
    userId: `user-${n % 17}`,
    source: 'reliability',
  });

export interface ScenarioRow {
  scenario: string;
  in: number;
  out: number;
  dlq: number;
  missing: number;
  duplicates: number;
}

export function formatTable(rows: readonly ScenarioRow[]): string {
  const header = ['scenario', 'in', 'out', 'DLQ', 'missing', 'duplicates'];
  const cells = rows.map((row) => [
    row.scenario,
    ...[row.in, row.out, row.dlq, row.missing, row.duplicates].map(String),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) =>
    `| ${values.map((value, i) => (i === 0 ? value.padEnd(widths[i]) : value.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (i === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}

/** A dead-letter store reader on the shared Redis (generous timeout: the machine is busy). */
export function openStore(queueName: string): { store: BullmqDeadLetterStore; close(): Promise<void> } {
  const connection = createFailFastRedis(redisUrl(), { timeoutMs: 15_000 });
  const store = new BullmqDeadLetterStore({ connection, queueName, timeoutMs: 15_000 });
  return {
    store,
    close: async () => {
      await store.purge().catch(() => undefined);
      await store.close().catch(() => undefined);
      connection.disconnect();
    },
  };
}

export interface Accounting {
  row: ScenarioRow;
  entries: DeadLetterEntry[];
  /** Input positions in the output and in the DLQ both (must never happen). */
  overlap: number;
}

const position = (partition: number, offset: string | number) => `${partition}:${offset}`;

/**
 * Every input record is a (partition, offset) below the topic's end offsets: it must be in the
 * output (sourcePartition/sourceOffset of an enriched event) or in the DLQ, and not both.
 */
export async function account(
  scenario: string,
  kafka: Kafka,
  inputTopic: string,
  reader: OutputReader,
  store: BullmqDeadLetterStore,
): Promise<Accounting> {
  const ends = await endOffsets(kafka, inputTopic);
  const outputs = reader.events.map((item) => position(item.event.sourcePartition, item.event.sourceOffset));
  const outputSet = new Set(outputs);
  const entries = (await store.list()).filter((entry) => entry.topic === inputTopic);
  const dlqSet = new Set(entries.map((entry) => position(entry.partition, entry.offset)));
  let total = 0;
  let missing = 0;
  for (const [partition, high] of ends) {
    for (let offset = 0; offset < Number(high); offset += 1) {
      total += 1;
      const key = position(partition, offset);
      if (!outputSet.has(key) && !dlqSet.has(key)) missing += 1;
    }
  }
  const overlap = [...dlqSet].filter((key) => outputSet.has(key)).length;
  return {
    row: {
      scenario,
      in: total,
      out: outputSet.size,
      dlq: dlqSet.size,
      missing,
      duplicates: outputs.length - outputSet.size + overlap,
    },
    entries,
    overlap,
  };
}

/** Waits until every input record is in the output or the DLQ. */
export async function waitUntilAccounted(
  kafka: Kafka,
  inputTopic: string,
  reader: OutputReader,
  store: BullmqDeadLetterStore,
  timeoutMs = 240_000,
): Promise<void> {
  const ends = await endOffsets(kafka, inputTopic);
  const total = [...ends.values()].reduce((sum, high) => sum + Number(high), 0);
  let have = 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outputs = new Set(
      reader.events.map((item) => position(item.event.sourcePartition, item.event.sourceOffset)),
    );
    have = outputs.size + (await store.count().catch(() => 0));
    if (have >= total) return;
    if (Date.now() > deadline) throw new Error(`timed out: ${have} of ${total} input records accounted for`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Produces raw values (poison included) one at a time, returning each one's partition and offset. */
export async function produceValues(
  kafka: Kafka,
  topic: string,
  values: ReadonlyArray<{ key: string; value: Buffer | null }>,
): Promise<Array<{ partition: number; offset: string }>> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const placed: Array<{ partition: number; offset: string }> = [];
    for (const message of values) {
      const [meta] = await producer.send({ topic, acks: -1, messages: [message] });
      placed.push({ partition: meta.partition, offset: String(meta.baseOffset) });
    }
    return placed;
  } finally {
    await producer.disconnect();
  }
}

export async function encodeAll(
  codec: Codec,
  tweets: ReadonlyArray<Parameters<Codec['tweetEncoder']['encode']>[0]>,
): Promise<Buffer[]> {
  return Promise.all(tweets.map((item) => codec.tweetEncoder.encode(item)));
}

const root = path.resolve(__dirname, '..', '..');

/**
 * `scripts/services stop|start SERVICE`: the reliability suite is the one place allowed to take a
 * shared service away; callers restart it in a finally. Fails loudly if the script fails.
 */
export function services(command: 'stop' | 'start' | 'status', service: 'kafka' | 'redis'): string {
  const result = spawnSync(path.join(root, 'scripts', 'services'), [command, service], {
    cwd: root,
    encoding: 'utf8',
  });
  const output = `${result.stdout}${result.stderr}`;
  if (command !== 'status' && result.status !== 0)
    throw new Error(`scripts/services ${command} ${service} failed:\n${output}`);
  return output;
}

export { waitFor };

/** Produces many raw values (poison included) in a few requests, keyed so one key stays in one partition. */
export async function produceBulk(
  kafka: Kafka,
  topic: string,
  values: ReadonlyArray<{ key: string; value: Buffer | null }>,
): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let start = 0; start < values.length; start += 500) {
      await producer.send({
        topic,
        acks: -1,
        messages: values.slice(start, start + 500).map((item) => ({ ...item })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * After a broker restart, waits until a new topic can be written and read back through a new
 * consumer group (the group coordinator has loaded), so the tests that run next find a healthy
 * broker and not "coordinator loading" errors.
 */
export async function waitForHealthyKafka(kafka: Kafka, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const topic = `reliability-probe-${Date.now()}`;
    try {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      } finally {
        await admin.disconnect();
      }
      await produceBulk(kafka, topic, [{ key: 'probe', value: Buffer.from('probe') }]);
      await readTopic(topic, 1, { timeoutMs: 30_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Kafka is not healthy after its restart: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
