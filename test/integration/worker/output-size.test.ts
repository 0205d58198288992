import type { Kafka } from 'kafkajs';
import type { Tweet } from '../../../src/core';
import { createFailFastRedis, BullmqDeadLetterStore } from '../../../src/dlq';
import { startWorker } from '../../../src/apps/worker';
import {
  createTopic,
  duplicates,
  OutputReader,
  rawCodec,
  sampleTweets,
  testKafka,
  testLogger,
  testWorkerConfig,
  uniqueTopics,
  type TestTopics,
} from './worker-harness';
import { redisUrl } from '../../support/services';

// Issue 15 item 3 on the real broker: produce requests are cut to fit the broker's limits, and an
// enriched record that can never fit is dead-lettered (OUTPUT_TOO_LARGE) without failing its neighbours.

jest.setTimeout(240_000);

/** Publishes a few tweets per request: the test's own producer must respect the 1 MB limit too. */
async function produceInSmallRequests(
  kafka: Kafka,
  topics: TestTopics,
  tweets: readonly Tweet[],
): Promise<void> {
  const codec = await rawCodec(topics);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let start = 0; start < tweets.length; start += 4) {
      const messages = await Promise.all(
        tweets
          .slice(start, start + 4)
          .map(async (tweet) => ({ key: tweet.id, value: await codec.tweetEncoder.encode(tweet) })),
      );
      await producer.send({ topic: topics.input, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

const withText = (tweet: Tweet, bytes: number): Tweet => ({
  ...tweet,
  text: `${tweet.text} `.padEnd(bytes, 'x'),
});

async function runWorker(
  kafka: Kafka,
  topics: TestTopics,
  expected: number,
  env: Record<string, string> = {},
): Promise<{ reader: OutputReader; deadLetters: Awaited<ReturnType<BullmqDeadLetterStore['list']>> }> {
  const codec = await rawCodec(topics);
  const { worker } = await startWorker(testWorkerConfig(topics, env), { logger: testLogger(), env: {} });
  const reader = new OutputReader(kafka, topics.output, codec, true);
  const connection = createFailFastRedis(redisUrl(), { timeoutMs: 10_000 });
  const store = new BullmqDeadLetterStore({ connection, queueName: topics.dlq, timeoutMs: 10_000 });
  try {
    await reader.start();
    await reader.waitForCount(expected, 180_000);
    // The worker is still healthy afterwards: it did not crash on the big round.
    expect(worker.isReady()).toBe(true);
    return { reader, deadLetters: await store.list() };
  } finally {
    expect(await worker.stop()).toBe(true);
    await reader.stop();
    await store.purge();
    await store.close();
    connection.disconnect();
  }
}

test('64 KiB texts from four input partitions into one output partition all arrive (sends split under 1 MB)', async () => {
  // The case: chunks of several partitions coalesce into one round for one output partition;
  // 48 texts of 64 KiB are ~3 MB, three times the broker's default message.max.bytes.
  const kafka = testKafka();
  const topics = uniqueTopics('size-split');
  await createTopic(kafka, topics.input, 4);
  await createTopic(kafka, topics.output, 1);
  const tweets = sampleTweets(48, topics.input).map((tweet) => withText(tweet, 65_536));
  await produceInSmallRequests(kafka, topics, tweets);

  const { reader, deadLetters } = await runWorker(kafka, topics, tweets.length);
  const ids = reader.events.map((item) => item.event.id);
  expect(duplicates(ids)).toEqual([]);
  expect(new Set(ids)).toEqual(new Set(tweets.map((tweet) => tweet.id)));
  expect(reader.events.every((item) => Buffer.byteLength(item.event.text) === 65_536)).toBe(true);
  expect(deadLetters).toEqual([]);
});

test.each([
  ['at-least-once', {}],
  ['exactly-once', { EXACTLY_ONCE: 'true' }],
])(
  '%s: sends fit the output topic max.message.bytes, and a record that never fits is dead-lettered alone',
  async (_mode, env: Record<string, string>) => {
    const kafka = testKafka();
    const topics = uniqueTopics('size-limit');
    await createTopic(kafka, topics.input, 1);
    // An output topic that takes 50 000 bytes per batch: the worker reads this at start.
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: topics.output,
          numPartitions: 1,
          configEntries: [{ name: 'max.message.bytes', value: '50000' }],
        },
      ],
    });
    await admin.disconnect();
    // Texts of 20 KB fit one by one but not three to a request; the 60 KB one never fits.
    const tweets = sampleTweets(13, topics.input).map((tweet, index) =>
      index === 6 ? withText(tweet, 60_000) : index % 2 === 0 ? withText(tweet, 20_000) : tweet,
    );
    const tooBig = tweets[6];
    await produceInSmallRequests(kafka, topics, tweets);

    const { reader, deadLetters } = await runWorker(kafka, topics, tweets.length - 1, env);
    const ids = reader.events.map((item) => item.event.id);
    expect(duplicates(ids)).toEqual([]);
    expect(new Set(ids)).toEqual(
      new Set(tweets.filter((tweet) => tweet !== tooBig).map((tweet) => tweet.id)),
    );
    // In input order (one partition in, one out): the dead letter did not reorder its neighbours.
    expect(reader.events.map((item) => Number(item.event.sourceOffset))).toEqual(
      [...Array(13).keys()].filter((offset) => offset !== 6),
    );
    expect(deadLetters).toHaveLength(1);
    const [entry] = deadLetters;
    expect(entry).toMatchObject({
      code: 'OUTPUT_TOO_LARGE',
      stage: 'produce',
      offset: '6',
      retriable: false,
    });
    expect(entry.message).toMatch(/over the output limit of 49939 bytes/);
    const codec = await rawCodec(topics);
    expect(Buffer.from(entry.value!, 'base64')).toEqual(await codec.tweetEncoder.encode(tooBig));
  },
);
