import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import pino, { type Logger } from 'pino';
import { createCodec, type Codec } from '../../../src/codec';
import { loadWorkerConfig, type WorkerConfig } from '../../../src/config/worker-config';
import type { Tweet, TweetEmotion } from '../../../src/core';
import { kafkaBrokers, redisUrl, uniqueName } from '../../support/services';

// Shared by the worker integration tests: topics, input events, an output reader, settings.

export const TINY_MODEL_DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'tiny-distilbert');
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export const testKafka = (): Kafka =>
  new Kafka({
    clientId: uniqueName('worker-test'),
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
    requestTimeout: 60_000,
  });

/** Logs of in-process workers: warnings and errors only, on stderr. */
export const testLogger = (): Logger =>
  pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' }, pino.destination(2));

export interface TestTopics {
  input: string;
  output: string;
  group: string;
  dlq: string;
}

export function uniqueTopics(prefix: string): TestTopics {
  return {
    input: uniqueName(`${prefix}-in`),
    output: uniqueName(`${prefix}-out`),
    group: uniqueName(`${prefix}-group`),
    dlq: uniqueName(`${prefix}-dlq`),
  };
}

/** The worker's environment variables pointed at the test services, the tiny model and the given topics. */
function workerEnv(topics: TestTopics): Record<string, string> {
  return {
    KAFKA_BROKERS: kafkaBrokers().join(','),
    REDIS_URL: redisUrl(),
    INPUT_TOPIC: topics.input,
    OUTPUT_TOPIC: topics.output,
    GROUP_ID: topics.group,
    DLQ_QUEUE: topics.dlq,
    MODEL_DIR: TINY_MODEL_DIR,
    HTTP_PORT: '0',
  };
}

/** Settings as the CLI would read them, pointed at the test services, the tiny model and the given topics. */
export function testWorkerConfig(topics: TestTopics, env: Record<string, string> = {}): WorkerConfig {
  return loadWorkerConfig({ ...workerEnv(topics), SHUTDOWN_TIMEOUT_MS: '20000', ...env });
}

export interface WorkerProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved (the last `keepOutputChars` of it when that is set). */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the real `emotion-stream worker` process at info level on the test services and topics;
 * `env` adds to or overrides its settings.
 */
export function spawnWorkerProcess(
  topics: TestTopics,
  env: Record<string, string>,
  options: { keepOutputChars?: number } = {},
): WorkerProcess {
  // tsx runs the TypeScript CLI directly, so the tests need no prior build.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, ...workerEnv(topics), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer): void => {
    output += chunk.toString();
    if (options.keepOutputChars !== undefined) output = output.slice(-options.keepOutputChars);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

export async function createTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    });
  } finally {
    await admin.disconnect();
  }
}

const words = [
  'happy',
  'sad',
  'angry',
  'scared',
  'surprised',
  'in love',
  'tired',
  'excited',
  'lonely',
  'grateful',
  'furious',
  'calm',
];

/** Distinct, deterministic tweets with ids `<prefix>-<n>`. */
export function sampleTweets(count: number, prefix: string): Tweet[] {
  return Array.from({ length: count }, (_, n) => ({
    id: `${prefix}-${n}`,
    text: `tweet ${n}: i feel so ${words[n % words.length]} about ${words[(n * 7 + 3) % words.length]} today #${n % 13}`,
    createdAt: 1_700_000_000_000 + n,
    lang: 'en',
    userId: `user-${n % 17}`,
    userName: null,
    source: 'worker-test',
    hashtags: [`h${n % 13}`],
    attributes: {},
  }));
}

/** Publishes tweets keyed by id (so one id always lands in one partition), in the codec's wire format. */
export async function produceTweets(
  kafka: Kafka,
  topic: string,
  tweets: readonly Tweet[],
  codec: Codec,
): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let start = 0; start < tweets.length; start += 500) {
      const slice = tweets.slice(start, start + 500);
      const messages = await Promise.all(
        slice.map(async (tweet) => ({ key: tweet.id, value: await codec.tweetEncoder.encode(tweet) })),
      );
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface OutputEvent {
  partition: number;
  offset: string;
  key: string;
  event: TweetEmotion;
}

/** Reads the output topic from the beginning into `events` until stopped. */
export class OutputReader {
  readonly events: OutputEvent[] = [];
  /** When the first and the latest event arrived (epoch ms), for throughput figures. */
  firstAt = 0;
  lastAt = 0;
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly codec: Codec,
    private readonly readCommitted = true,
  ) {}

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({
      groupId: uniqueName('reader'),
      readUncommitted: !this.readCommitted,
      maxWaitTimeInMs: 200,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ partition, message }) => {
        const event = await this.codec.tweetEmotionDecoder.decode(message.value as Buffer);
        this.events.push({ partition, offset: message.offset, key: String(message.key), event });
        this.lastAt = Date.now();
        if (this.firstAt === 0) this.firstAt = this.lastAt;
      },
    });
  }

  async waitForCount(count: number, timeoutMs = 90_000): Promise<void> {
    await waitFor(
      () => this.events.length >= count,
      `${count} output events (have ${this.events.length})`,
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

export async function waitFor(
  condition: () => boolean,
  what: string | (() => string),
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function rawCodec(topics: TestTopics, schemaRegistryUrl?: string): Promise<Codec> {
  return createCodec({
    inputTopic: topics.input,
    outputTopic: topics.output,
    schemaRegistryUrl,
    registerOnStart: false,
  });
}

export interface SeededInput {
  kafka: Kafka;
  topics: TestTopics;
  codec: Codec;
  tweets: Tweet[];
}

/**
 * Unique topic names, the input topic created with `partitions` partitions and `events` sample tweets
 * on it, in the codec's wire format (raw Avro, or Confluent when `schemaRegistryUrl` is given).
 */
export async function seedInput(
  prefix: string,
  options: { partitions: number; events: number; schemaRegistryUrl?: string },
): Promise<SeededInput> {
  const kafka = testKafka();
  const topics = uniqueTopics(prefix);
  await createTopic(kafka, topics.input, options.partitions);
  const codec = await rawCodec(topics, options.schemaRegistryUrl);
  const tweets = sampleTweets(options.events, topics.input);
  await produceTweets(kafka, topics.input, tweets, codec);
  return { kafka, topics, codec, tweets };
}

/** ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of ids) (seen.has(id) ? repeated : seen).add(id);
  return [...repeated];
}

export async function committedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(entry.partitions.map((partition) => [partition.partition, partition.offset]));
  } finally {
    await admin.disconnect();
  }
}

export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((entry) => [entry.partition, entry.high]));
  } finally {
    await admin.disconnect();
  }
}
