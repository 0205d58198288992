import { Worker } from 'bullmq';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { InferenceFailedError, PoisonMessageError, type Envelope } from '../../../src/core';
import {
  BullmqDeadLetterStore,
  BullmqRetryQueue,
  createBlockingRedis,
  createFailFastRedis,
  deadLetterId,
  toDeadLetterEntry,
  type DeadLetterEntry,
  type RetryJob,
} from '../../../src/dlq';
import { Metrics } from '../../../src/telemetry';
import { readTopic } from '../../support/read-topic';
import { kafkaBrokers, redisUrl, uniqueName } from '../../support/services';
import { dlq } from './dlq-cli-runner';

// Issue 15 item 8 on the real Redis and Kafka: terminal-safe output, ids that survive a recreated
// topic, the retry queue in `dlq` and in the metrics, paging.

const kafka = new Kafka({
  clientId: 'dlq-operator-test',
  brokers: kafkaBrokers(),
  logLevel: logLevel.NOTHING,
});
const envelope = (topic: string, offset: number, overrides: Partial<Envelope> = {}): Envelope => ({
  topic,
  partition: 0,
  offset: String(offset),
  timestamp: String(1_700_000_000_000 + offset),
  key: Buffer.from(`tweet-${offset}`),
  value: Buffer.from([0x00, offset]),
  headers: {},
  ...overrides,
});

async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('emotion-stream dlq for operators', () => {
  const connection = createFailFastRedis(redisUrl(), { timeoutMs: 10_000 });
  const stores: BullmqDeadLetterStore[] = [];
  const open = (queueName = uniqueName('dlq-op')) => {
    const store = new BullmqDeadLetterStore({ connection, queueName, timeoutMs: 10_000 });
    stores.push(store);
    return store;
  };

  afterAll(async () => {
    for (const store of stores) {
      await store.purge().catch(() => undefined);
      await store.close().catch(() => undefined);
    }
    connection.disconnect();
  });

  it('escapes control characters an attacker put in ids, codes, messages and headers', async () => {
    const store = open();
    const hostile = '\u001b]0;pwned\u0007\u001b[2J\u001b[31m\rfake\u009b1m\u202eevil';
    const entry: DeadLetterEntry = {
      ...toDeadLetterEntry(
        envelope('tweets', 1, { headers: { [`h${hostile}`]: Buffer.from(hostile) } }),
        new PoisonMessageError('NOT_AVRO', `bad record ${hostile}`),
        1,
        undefined,
        Date.now(),
      ),
      // Ids and codes are stored data: someone with Redis access, or a future bug, could put anything there.
      id: `tweets${hostile}:0:1`,
      code: `NOT_AVRO${hostile}`,
    };
    await store.add(entry);
    const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/; // eslint-disable-line no-control-regex

    const table = await dlq('list', '--queue', store.queueName);
    expect(table.stdout).not.toMatch(unsafe);
    expect(table.stdout).toContain('tweets\\u001b]0;pwned\\u0007');
    expect(table.stdout).toContain('bad record \\u001b]0;pwned');

    const json = await dlq('list', '--json', '--queue', store.queueName);
    expect(json.stdout).not.toMatch(unsafe);
    expect((JSON.parse(json.stdout) as DeadLetterEntry[])[0]).toEqual(JSON.parse(JSON.stringify(entry)));

    const shown = await dlq('show', entry.id, '--queue', store.queueName);
    expect(shown.stdout).not.toMatch(unsafe);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      id: entry.id,
      decodedHeaders: { [`h${hostile}`]: hostile },
    });
    await expect(dlq('show', `missing${hostile}`, '--queue', store.queueName)).rejects.toThrow(
      /missing\\u001b\]0;pwned/,
    );
  });

  it('keeps both entries when a recreated topic puts another record at the same offset', async () => {
    const topic = uniqueName('dlq-op-recreated');
    const store = open();
    const produceAndRead = async (value: string): Promise<Envelope> => {
      await withAdmin((admin) =>
        admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }),
      );
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'same-key', value }] });
      await producer.disconnect();
      const [record] = await readTopic(topic, 1);
      return {
        topic,
        partition: record.partition,
        offset: record.offset,
        timestamp: record.timestamp,
        key: record.key,
        value: record.value,
        headers: {},
      };
    };
    const first = await produceAndRead('first record');
    await store.deadLetter(first, new PoisonMessageError('NOT_AVRO', 'first'), 1);
    await withAdmin((admin) => admin.deleteTopics({ topics: [topic], timeout: 30_000 }));
    await waitFor(
      () => withAdmin(async (admin) => !(await admin.listTopics()).includes(topic)),
      'the topic to be deleted',
    );
    const second = await produceAndRead('second record');
    expect([second.partition, second.offset]).toEqual([first.partition, first.offset]);
    await store.deadLetter(second, new PoisonMessageError('NOT_AVRO', 'second'), 1);
    // A crash replays the second record: still one entry for it.
    await store.deadLetter(second, new PoisonMessageError('NOT_AVRO', 'second again'), 1);

    const entries = await store.list();
    expect(entries.map((entry) => entry.message)).toEqual(['first', 'second']);
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(2);
    for (const entry of entries) expect(entry.id.startsWith(`${topic}:0:${first.offset}-`)).toBe(true);
    // Each id still works with show and replay.
    const shown = JSON.parse((await dlq('show', deadLetterId(second), '--queue', store.queueName)).stdout);
    expect(Buffer.from(shown.value, 'base64').toString()).toBe('second record');
  });

  it('lists and replays --all a page at a time over more than one page', async () => {
    const topic = uniqueName('dlq-op-paging');
    await withAdmin((admin) =>
      admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }),
    );
    const store = open();
    for (let offset = 0; offset < 7; offset += 1)
      await store.deadLetter(
        envelope(topic, offset),
        new PoisonMessageError('NOT_AVRO', `entry ${offset}`),
        1,
      );

    const json = await dlq('list', '--json', '--page-size', '2', '--queue', store.queueName);
    expect((JSON.parse(json.stdout) as DeadLetterEntry[]).map((entry) => entry.offset)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
    ]);
    const table = (await dlq('list', '--page-size', '3', '--queue', store.queueName)).stdout
      .trim()
      .split('\n');
    expect(table.filter((line) => line.startsWith('ID'))).toHaveLength(1);
    expect(table.filter((line) => line.includes('NOT_AVRO'))).toHaveLength(7);
    expect(table.at(-1)).toBe(`7 of 7 dead letter(s) in ${store.queueName}`);
    const limited = await dlq(
      'list',
      '--json',
      '--limit',
      '5',
      '--page-size',
      '2',
      '--queue',
      store.queueName,
    );
    expect((JSON.parse(limited.stdout) as DeadLetterEntry[]).map((entry) => entry.offset)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
    ]);
    await expect(dlq('list', '--page-size', '0', '--queue', store.queueName)).rejects.toThrow(/page-size/);

    const replay = await dlq(
      'replay',
      '--all',
      '--page-size',
      '2',
      '--queue',
      store.queueName,
      '--brokers',
      kafkaBrokers().join(','),
    );
    expect(replay.stdout).toContain('replayed 7 dead letter(s)');
    const records = await readTopic(topic, 7);
    expect(records.map((record) => record.key?.toString())).toEqual(
      Array.from({ length: 7 }, (_, offset) => `tweet-${offset}`),
    );
    expect(await store.count()).toBe(0);
  });

  it('shows the retry queue — waiting, delayed and failed jobs — in dlq retries, dlq stats and the metrics', async () => {
    const store = open();
    const workerConnection = createBlockingRedis(redisUrl());
    const retries = new BullmqRetryQueue({
      connection,
      queueName: `${store.queueName}-retry`,
      deadLetters: store,
      policy: { maxAttempts: 2, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      timeoutMs: 10_000,
    });
    const topic = 'tweets-retry-visible';
    try {
      // One job whose last attempt ends in BullMQ's `failed` set, as when even dead-lettering it failed.
      await retries.schedule(envelope(topic, 1), new InferenceFailedError('model down'), 1);
      const promote = await retries.list(['delayed']);
      expect(promote.map((job) => job.offset)).toEqual(['1']);
      const worker = new Worker(
        retries.queueName,
        async () => {
          throw new Error('dead-letter store unreachable');
        },
        { connection: workerConnection },
      );
      // The job is delayed a minute: bring it forward.
      const { Queue } = await import('bullmq');
      const queue = new Queue(retries.queueName, { connection });
      await (await queue.getJob(promote[0].id))?.promote();
      await waitFor(async () => (await retries.counts()).failed === 1, 'the job to fail');
      await worker.close();
      await queue.close();
      // And one waiting for its first retry (delayed a minute).
      await retries.schedule(envelope(topic, 2), new InferenceFailedError('model down'), 1);

      expect(await retries.counts()).toEqual({ waiting: 0, delayed: 1, active: 0, failed: 1 });
      const listed = await dlq('retries', '--json', '--queue', store.queueName);
      const jobs = JSON.parse(listed.stdout) as RetryJob[];
      expect(jobs.map((job) => [job.offset, job.state]).sort()).toEqual([
        ['1', 'failed'],
        ['2', 'delayed'],
      ]);
      expect(jobs.find((job) => job.state === 'failed')).toMatchObject({
        code: 'INFERENCE_FAILED',
        failedReason: 'dead-letter store unreachable',
        id: deadLetterId(envelope(topic, 1)),
      });
      // Paging walks state by state: a page of one job at a time still shows each job once.
      const paged = await dlq('retries', '--json', '--page-size', '1', '--queue', store.queueName);
      expect((JSON.parse(paged.stdout) as RetryJob[]).map((job) => [job.state, job.offset])).toEqual([
        ['delayed', '2'],
        ['failed', '1'],
      ]);
      const failedOnly = await dlq('retries', '--state', 'failed', '--queue', store.queueName);
      expect(failedOnly.stdout).toMatch(/^ID\s+STATE\s+CODE\s+TRIES\s+LAST ERROR/);
      expect(failedOnly.stdout).toContain('dead-letter store unreachable');
      expect(failedOnly.stdout).not.toContain(`${topic}:0:2`);

      const stats = JSON.parse((await dlq('stats', '--json', '--queue', store.queueName)).stdout);
      expect(stats).toEqual({
        deadLetters: { queue: store.queueName, entries: 0 },
        retries: { queue: retries.queueName, waiting: 0, delayed: 1, active: 0, failed: 1 },
      });

      const metrics = new Metrics({ defaultMetrics: false });
      metrics.observeRetryQueue(() => retries.counts());
      const { body } = await metrics.expose();
      expect(body).toContain('emotion_stream_retry_queue_jobs{state="failed"} 1');
      expect(body).toContain('emotion_stream_retry_queue_jobs{state="delayed"} 1');
    } finally {
      await retries.obliterate();
      await retries.close();
      workerConnection.disconnect();
    }
  });
});
