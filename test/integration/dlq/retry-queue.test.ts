import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { InferenceFailedError, PoisonMessageError, type Envelope } from '../../../src/core';
import {
  BullmqDeadLetterStore,
  BullmqRetryQueue,
  createBlockingRedis,
  createFailFastRedis,
  deadLetterId,
  type RetryHandler,
} from '../../../src/dlq';
import { redisUrl, uniqueName } from '../../support/services';

const record = (offset: number): Envelope => ({
  topic: 'tweets-retry-test',
  partition: 0,
  offset: String(offset),
  timestamp: '1700000000000',
  key: Buffer.from(`k${offset}`),
  value: Buffer.from([1, 2, offset]),
  headers: {},
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('BullmqRetryQueue on the real Redis', () => {
  let connection: Redis;
  let workerConnection: Redis;
  let deadLetters: BullmqDeadLetterStore;
  let retries: BullmqRetryQueue;

  beforeEach(() => {
    const name = uniqueName('dlq-retry');
    connection = createFailFastRedis(redisUrl(), { timeoutMs: 10_000 });
    workerConnection = createBlockingRedis(redisUrl());
    deadLetters = new BullmqDeadLetterStore({ connection, queueName: name, timeoutMs: 10_000 });
    retries = new BullmqRetryQueue({
      connection,
      workerConnection,
      queueName: `${name}-retry`,
      deadLetters,
      policy: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100 },
      timeoutMs: 10_000,
    });
  });

  afterEach(async () => {
    await retries.close();
    await retries.obliterate();
    await deadLetters.purge();
    await deadLetters.close();
    connection.disconnect();
    workerConnection.disconnect();
  });

  it('re-runs a record with backoff until the handler succeeds, leaving nothing behind', async () => {
    const attempts: number[] = [];
    const handler: RetryHandler = async (envelope, attempt) => {
      expect(envelope.value).toEqual(Buffer.from([1, 2, 5]));
      attempts.push(attempt);
      if (attempt < 3) throw new InferenceFailedError('session restarting');
    };
    await retries.start(handler);
    await retries.schedule(record(5), new InferenceFailedError('first failure'), 1);
    await waitFor(async () => attempts.length === 2 && (await retries.pending()) === 0, 'the retries');
    expect(attempts).toEqual([2, 3]);
    expect(await deadLetters.count()).toBe(0);
  });

  it('dead-letters a record after the last attempt with the total attempt count', async () => {
    await retries.start(async () => {
      throw new InferenceFailedError('model keeps failing');
    });
    await retries.schedule(record(6), new InferenceFailedError('first failure'), 1);
    await waitFor(async () => (await deadLetters.count()) === 1, 'the dead letter');
    const [entry] = await deadLetters.list();
    expect(entry).toMatchObject({
      id: deadLetterId(record(6)),
      code: 'INFERENCE_FAILED',
      attempts: 4,
      value: Buffer.from([1, 2, 6]).toString('base64'),
    });
    await waitFor(async () => (await retries.pending()) === 0, 'the retry job to complete');
  });

  it('dead-letters at once when a retry turns out to be poison, and never schedules poison', async () => {
    let calls = 0;
    await retries.start(async () => {
      calls += 1;
      throw new PoisonMessageError('WRONG_SCHEMA', 'not a tweet');
    });
    await retries.schedule(record(7), new InferenceFailedError('first failure'), 1);
    await retries.schedule(record(8), new PoisonMessageError('EMPTY_TEXT', 'empty'), 1);
    await waitFor(async () => (await deadLetters.count()) === 2, 'two dead letters');
    expect(calls).toBe(1);
    expect((await deadLetters.list()).map((entry) => [entry.id, entry.code, entry.attempts])).toEqual([
      [deadLetterId(record(8)), 'EMPTY_TEXT', 1],
      [deadLetterId(record(7)), 'WRONG_SCHEMA', 2],
    ]);
  });

  it('dead-letters, at start, the jobs BullMQ failed for stalling (a worker killed mid-attempt too often)', async () => {
    await retries.schedule(record(9), new InferenceFailedError('first failure'), 1);
    // What BullMQ's stalled checker leaves behind: the job in `failed` with its own reason, never having
    // reached our handler. A plain BullMQ worker failing the job with that reason stands in for it.
    const stand = new Worker(
      retries.queueName,
      async () => {
        throw new Error('job stalled more than allowable limit');
      },
      { connection: createBlockingRedis(redisUrl()), autorun: true },
    );
    try {
      await waitFor(async () => (await retries.counts()).failed >= 1, 'the stand-in failure', 60_000);
    } finally {
      await stand.close();
    }
    expect(await deadLetters.count()).toBe(0);
    await retries.start(async () => undefined);
    await waitFor(async () => (await deadLetters.count()) === 1, 'the stalled job in the DLQ');
    const [entry] = await deadLetters.list();
    expect(entry).toMatchObject({
      id: deadLetterId(record(9)),
      code: 'INFERENCE_FAILED',
      value: Buffer.from([1, 2, 9]).toString('base64'),
    });
    expect(entry.message).toMatch(/stopped mid-attempt/);
    expect((await retries.counts()).failed).toBe(0);
  });
});
