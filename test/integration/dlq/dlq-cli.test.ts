import { Kafka, logLevel } from 'kafkajs';
import { PoisonMessageError, type Envelope } from '../../../src/core';
import {
  BullmqDeadLetterStore,
  createFailFastRedis,
  deadLetterId,
  type DeadLetterEntry,
} from '../../../src/dlq';
import { readTopic } from '../../support/read-topic';
import { dlq } from './dlq-cli-runner';
import { kafkaBrokers, redisUrl, uniqueName } from '../../support/services';

const kafka = new Kafka({ clientId: 'dlq-cli-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });

async function createTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

describe('emotion-stream dlq on the real Redis and Kafka', () => {
  const queue = uniqueName('dlq-cli');
  const inputTopic = uniqueName('dlq-cli-input');
  const connection = createFailFastRedis(redisUrl(), { timeoutMs: 10_000 });
  const store = new BullmqDeadLetterStore({ connection, queueName: queue, timeoutMs: 10_000 });
  // Bytes that are not valid UTF-8 and a trace header: replay must give back exactly these.
  const poisonValue = Buffer.from([0x00, 0xc3, 0x28, 0xff, 0x7f]);
  const envelope = (offset: number): Envelope => ({
    topic: inputTopic,
    partition: offset % 2,
    offset: String(offset),
    timestamp: '1700000000000',
    key: Buffer.from(`tweet-${offset}`),
    value: Buffer.concat([poisonValue, Buffer.from([offset])]),
    headers: {
      traceparent: Buffer.from('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
      raw: Buffer.from([0xfe]),
    },
  });

  const idOf = (offset: number) => deadLetterId(envelope(offset));

  beforeAll(async () => {
    await createTopic(inputTopic);
    await store.deadLetter(envelope(10), new PoisonMessageError('NOT_AVRO', 'value is not Avro'), 1);
    await store.deadLetter(
      envelope(11),
      new PoisonMessageError('TRAILING_BYTES', '3 bytes after the record'),
      1,
    );
    await store.deadLetter(
      envelope(12),
      new PoisonMessageError('EMPTY_TEXT', 'text is empty', { stage: 'validate' }),
      1,
    );
  });

  afterAll(async () => {
    await store.purge();
    await store.close();
    connection.disconnect();
  });

  it('lists entries as JSON and as a table', async () => {
    const json = await dlq('list', '--json', '--queue', queue);
    const entries = JSON.parse(json.stdout) as DeadLetterEntry[];
    expect(
      entries.map(({ id, code, stage, topic, partition, offset }) => ({
        id,
        code,
        stage,
        topic,
        partition,
        offset,
      })),
    ).toEqual([
      {
        id: idOf(10),
        code: 'NOT_AVRO',
        stage: 'decode',
        topic: inputTopic,
        partition: 0,
        offset: '10',
      },
      {
        id: idOf(11),
        code: 'TRAILING_BYTES',
        stage: 'decode',
        topic: inputTopic,
        partition: 1,
        offset: '11',
      },
      {
        id: idOf(12),
        code: 'EMPTY_TEXT',
        stage: 'validate',
        topic: inputTopic,
        partition: 0,
        offset: '12',
      },
    ]);

    const table = await dlq('list', '--queue', queue);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+CODE\s+STAGE\s+ATTEMPTS\s+LAST FAILURE\s+MESSAGE$/);
    expect(lines[2]).toContain('TRAILING_BYTES');
    expect(lines.at(-1)).toBe(`3 of 3 dead letter(s) in ${queue}`);
  });

  it('shows one entry with its headers decoded where they are text', async () => {
    const shown = JSON.parse(
      (await dlq('show', idOf(11), '--queue', queue)).stdout,
    ) as DeadLetterEntry & {
      decodedHeaders: Record<string, string>;
    };
    expect(shown).toMatchObject({
      code: 'TRAILING_BYTES',
      message: '3 bytes after the record',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(shown.decodedHeaders).toEqual({
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      raw: 'base64:/g==',
    });
    await expect(dlq('show', 'nope:0:1', '--queue', queue)).rejects.toThrow(
      /no dead letter with id nope:0:1/,
    );
  });

  it('replays chosen entries to their original topic with the exact bytes, then removes them', async () => {
    const result = await dlq(
      'replay',
      idOf(10),
      'missing:0:1',
      '--queue',
      queue,
      '--brokers',
      kafkaBrokers().join(','),
    );
    expect(result.stdout).toContain('replayed 1 dead letter(s)');
    expect(result.stderr).toContain('not found: missing:0:1');
    expect(result.exitCode).toBe(1);

    const [record] = await readTopic(inputTopic, 1);
    expect(record.key).toEqual(Buffer.from('tweet-10'));
    expect(record.value).toEqual(Buffer.concat([poisonValue, Buffer.from([10])]));
    expect(record.headers.raw).toEqual(Buffer.from([0xfe]));
    expect(record.headers.traceparent?.toString()).toBe(
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    );
    expect((await store.list()).map((entry) => entry.offset)).toEqual(['11', '12']);
  });

  it('replays everything to another topic with --all --topic', async () => {
    const target = uniqueName('dlq-cli-target');
    await createTopic(target);
    const result = await dlq(
      'replay',
      '--all',
      '--topic',
      target,
      '--queue',
      queue,
      '--brokers',
      kafkaBrokers().join(','),
    );
    expect(result.stdout).toContain('replayed 2 dead letter(s)');
    const records = await readTopic(target, 2);
    expect(records.map((record) => record.key?.toString()).sort()).toEqual(['tweet-11', 'tweet-12']);
    expect(await store.count()).toBe(0);
  });

  it('purges only with --yes when not on a terminal', async () => {
    await store.deadLetter(envelope(13), new PoisonMessageError('NULL_VALUE', 'tombstone'), 1);
    // As in CI, whatever terminal a developer runs jest from.
    const tty = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
    Object.defineProperty(process.stdin, 'isTTY', { value: false, configurable: true });
    try {
      await expect(dlq('purge', '--queue', queue)).rejects.toThrow(/pass --yes/);
    } finally {
      if (tty) Object.defineProperty(process.stdin, 'isTTY', tty);
      else delete (process.stdin as { isTTY?: boolean }).isTTY;
    }
    expect(await store.count()).toBe(1);
    expect((await dlq('purge', '--yes', '--queue', queue)).stdout).toContain('purged 1 dead letter(s)');
    expect(await store.count()).toBe(0);
  });

  it('rejects replay without ids or --all', async () => {
    await expect(dlq('replay', '--queue', queue)).rejects.toThrow(/needs entry ids or --all/);
  });
});
