import type { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import {
  InferenceFailedError,
  KafkaUnavailableError,
  PoisonMessageError,
  RedisUnavailableError,
  type Envelope,
} from '../../../src/core';
import {
  BullmqDeadLetterStore,
  createFailFastRedis,
  deadLetterId,
  KafkaDeadLetterMirror,
  type DeadLetterEntry,
  type DeadLetterMirror,
} from '../../../src/dlq';
import { freePort, PrivateRedis } from '../../support/private-redis';
import { readTopic } from '../../support/read-topic';
import { kafkaBrokers, redisUrl, uniqueName } from '../../support/services';

function envelope(offset: number, value: Buffer | null = Buffer.from([0x02, 0x41, offset & 0xff])): Envelope {
  return {
    topic: 'tweets-dlq-test',
    partition: 1,
    offset: String(offset),
    timestamp: String(1_700_000_000_000 + offset),
    key: Buffer.from(`tweet-${offset}`),
    value,
    headers: {
      traceparent: Buffer.from('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
      source: Buffer.from('test'),
    },
  };
}

describe('BullmqDeadLetterStore on the real Redis', () => {
  const clients: Redis[] = [];
  const stores: BullmqDeadLetterStore[] = [];
  // Generous timeouts where Redis is up: the 2-core machine is busy and a slow answer is not the point.
  const open = (queueName: string, url = redisUrl(), timeoutMs = 10_000) => {
    const connection = createFailFastRedis(url, { timeoutMs });
    const store = new BullmqDeadLetterStore({ connection, queueName, timeoutMs });
    clients.push(connection);
    stores.push(store);
    return store;
  };

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close().catch(() => undefined);
    for (const client of clients.splice(0)) client.disconnect();
  });

  it('adds, lists, shows, removes and purges entries, keeping one entry per record', async () => {
    const store = open(uniqueName('dlq-store'));
    try {
      await store.deadLetter(envelope(7), new PoisonMessageError('NOT_AVRO', 'value is not Avro'), 1);
      await store.deadLetter(envelope(8, null), new PoisonMessageError('NULL_VALUE', 'tombstone'), 1);
      // The same record again (a crash replayed it): still one entry, the first one.
      await store.deadLetter(envelope(7), new InferenceFailedError('later failure'), 5);

      const entries = await store.list();
      expect(entries.map((entry) => [entry.id, entry.code])).toEqual([
        [deadLetterId(envelope(7)), 'NOT_AVRO'],
        [deadLetterId(envelope(8, null)), 'NULL_VALUE'],
      ]);
      expect(entries[0].id).toMatch(/^tweets-dlq-test:1:7-[0-9a-f]{12}$/);
      expect(await store.count()).toBe(2);

      const shown = (await store.get(deadLetterId(envelope(7)))) as DeadLetterEntry;
      expect(shown).toMatchObject({
        topic: 'tweets-dlq-test',
        partition: 1,
        offset: '7',
        key: Buffer.from('tweet-7').toString('base64'),
        value: Buffer.from([0x02, 0x41, 7]).toString('base64'),
        stage: 'decode',
        attempts: 1,
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      });
      expect(Buffer.from(shown.headers.source as string, 'base64').toString()).toBe('test');
      expect(await store.get(deadLetterId(envelope(99)))).toBeUndefined();

      expect(await store.remove(deadLetterId(envelope(7)))).toBe(true);
      expect(await store.remove(deadLetterId(envelope(7)))).toBe(false);
      expect(await store.purge()).toBe(1);
      expect(await store.list()).toEqual([]);
    } finally {
      await store.purge();
    }
  });

  it('keeps entries across connections (they are in Redis, not in the process)', async () => {
    const queueName = uniqueName('dlq-durable');
    const writer = open(queueName);
    await writer.deadLetter(
      envelope(1),
      new PoisonMessageError('EMPTY_TEXT', 'empty text', { stage: 'validate' }),
      1,
    );
    await writer.close();

    const reader = open(queueName);
    try {
      expect((await reader.list()).map((entry) => [entry.id, entry.code, entry.stage])).toEqual([
        [deadLetterId(envelope(1)), 'EMPTY_TEXT', 'validate'],
      ]);
    } finally {
      await reader.purge();
    }
  });

  it('rejects with REDIS_UNAVAILABLE instead of hanging when Redis is unreachable', async () => {
    const store = open(uniqueName('dlq-down'), `redis://127.0.0.1:${await freePort()}`, 500);
    const attempt = store.deadLetter(envelope(1), new PoisonMessageError('NOT_AVRO', 'x'), 1);
    await expect(attempt).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(attempt).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', retriable: true });
  });

  it('works again on its own once Redis comes back, and fails fast while it is gone', async () => {
    const redis = new PrivateRedis(await freePort());
    const store = open(uniqueName('dlq-return'), redis.url, 500);
    try {
      await expect(
        store.deadLetter(envelope(1), new PoisonMessageError('NOT_AVRO', 'x'), 1),
      ).rejects.toMatchObject({
        code: 'REDIS_UNAVAILABLE',
      });
      await redis.start();
      await eventually(() => store.deadLetter(envelope(1), new PoisonMessageError('NOT_AVRO', 'x'), 1));
      expect(await store.count()).toBe(1);

      // Redis goes away after the store was connected: still a prompt rejection, not a queued command.
      await redis.stop();
      await expect(
        store.deadLetter(envelope(2), new PoisonMessageError('NOT_AVRO', 'x'), 1),
      ).rejects.toMatchObject({
        code: 'REDIS_UNAVAILABLE',
      });
    } finally {
      await redis.dispose();
    }
  });

  it('mirrors every dead letter to a Kafka topic after Redis acknowledged it', async () => {
    const topic = uniqueName('dlq-mirror');
    const kafka = new Kafka({
      clientId: 'dlq-mirror-test',
      brokers: kafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const connection = createFailFastRedis(redisUrl());
    clients.push(connection);
    const store = new BullmqDeadLetterStore({
      connection,
      queueName: uniqueName('dlq-mirrored'),
      mirror: new KafkaDeadLetterMirror(producer, topic),
    });
    stores.push(store);
    try {
      await store.deadLetter(
        envelope(3),
        new PoisonMessageError('TEXT_TOO_LONG', 'text over 65536 bytes', { stage: 'validate' }),
        1,
      );
      const [record] = await readTopic(topic, 1);
      expect(record.key?.toString()).toBe(deadLetterId(envelope(3)));
      expect(JSON.parse(record.value!.toString())).toMatchObject({
        id: deadLetterId(envelope(3)),
        code: 'TEXT_TOO_LONG',
        offset: '3',
      });
      expect(record.headers.code?.toString()).toBe('TEXT_TOO_LONG');
    } finally {
      await store.purge();
      await producer.disconnect();
    }
  });

  describe('the Kafka mirror and the broker limit', () => {
    const kafka = new Kafka({
      clientId: 'dlq-mirror-limit',
      brokers: kafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    async function mirroredStore(topicConfig: Array<{ name: string; value: string }> = []) {
      const topic = uniqueName('dlq-mirror-limit');
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [{ topic, numPartitions: 1, configEntries: topicConfig }],
        waitForLeaders: true,
      });
      await admin.disconnect();
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 2 } });
      await producer.connect();
      const connection = createFailFastRedis(redisUrl(), { timeoutMs: 10_000 });
      clients.push(connection);
      const gaveUp: Array<[string, string]> = [];
      const store = new BullmqDeadLetterStore({
        connection,
        queueName: uniqueName('dlq-mirror-limit'),
        timeoutMs: 10_000,
        mirror: new KafkaDeadLetterMirror(producer, topic),
        onMirrorFailure: (entry, error) => gaveUp.push([entry.id, error.code]),
      });
      stores.push(store);
      return { topic, store, producer, gaveUp };
    }

    it('mirrors a large poison record without its bytes, under the limit, and says they are in Redis', async () => {
      const { topic, store, producer } = await mirroredStore();
      // 900 KB: 1.2 MB as base64 in JSON, which the broker (1 048 588 bytes by default) would refuse forever.
      const big = envelope(21, Buffer.alloc(900_000, 0x41));
      try {
        await store.deadLetter(big, new PoisonMessageError('TEXT_TOO_LONG', 'text over 65536 bytes'), 1);
        const [record] = await readTopic(topic, 1);
        expect(record.value!.length).toBeLessThan(1_000_000);
        const body = JSON.parse(record.value!.toString()) as Record<string, unknown>;
        expect(body).toMatchObject({
          id: deadLetterId(big),
          code: 'TEXT_TOO_LONG',
          valueTruncated: true,
          valueBytes: 900_000,
          fullEntry: expect.stringContaining(`emotion-stream dlq show ${deadLetterId(big)}`),
        });
        expect(body).not.toHaveProperty('value');
        // The full bytes are in Redis.
        const stored = (await store.get(deadLetterId(big))) as DeadLetterEntry;
        expect(Buffer.from(stored.value!, 'base64')).toEqual(big.value);
      } finally {
        await store.purge();
        await producer.disconnect();
      }
    });

    it('does not hold the partition when the broker refuses the mirror message (the entry stays in Redis)', async () => {
      // A DLQ topic whose limit is below the mirror's: the broker answers MESSAGE_TOO_LARGE, not retriable.
      const { store, producer, gaveUp } = await mirroredStore([{ name: 'max.message.bytes', value: '2000' }]);
      const poison = envelope(22, Buffer.alloc(5_000, 0x42));
      try {
        await store.deadLetter(poison, new PoisonMessageError('NOT_AVRO', 'not Avro'), 1);
        expect(gaveUp).toEqual([[deadLetterId(poison), expect.any(String)]]);
        expect(await store.get(deadLetterId(poison))).toBeDefined();
      } finally {
        await store.purge();
        await producer.disconnect();
      }
    });
  });

  it('holds a dead letter while the mirror is unreachable, but only up to mirrorGiveUpMs', async () => {
    // A mirror that is always "unreachable": stopping the shared broker is not an option here.
    const unreachable: DeadLetterMirror = {
      mirror: async () => {
        throw new KafkaUnavailableError('broker unreachable');
      },
    };
    let now = 1_000_000;
    const gaveUp: string[] = [];
    const connection = createFailFastRedis(redisUrl(), { timeoutMs: 10_000 });
    clients.push(connection);
    const store = new BullmqDeadLetterStore({
      connection,
      queueName: uniqueName('dlq-mirror-down'),
      timeoutMs: 10_000,
      mirror: unreachable,
      mirrorGiveUpMs: 30_000,
      onMirrorFailure: (entry) => gaveUp.push(entry.id),
      now: () => now,
    });
    stores.push(store);
    try {
      const poison = new PoisonMessageError('NOT_AVRO', 'x');
      await expect(store.deadLetter(envelope(31), poison, 1)).rejects.toMatchObject({
        code: 'KAFKA_UNAVAILABLE',
      });
      now += 29_000;
      await expect(store.deadLetter(envelope(31), poison, 1)).rejects.toMatchObject({
        code: 'KAFKA_UNAVAILABLE',
      });
      now += 2_000;
      await expect(store.deadLetter(envelope(31), poison, 1)).resolves.toBeUndefined();
      expect(gaveUp).toEqual([deadLetterId(envelope(31))]);
      expect(await store.count()).toBe(1);
    } finally {
      await store.purge();
    }
  });
});

/** Retries `operation` until it succeeds: a reconnecting client needs a moment after Redis starts. */
async function eventually(operation: () => Promise<unknown>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await operation();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
