import pino from 'pino';
import { startWorker } from '../../src/apps/worker';
import {
  committedOffsets,
  createTopic,
  endOffsets,
  OutputReader,
  produceTweets,
  rawCodec,
  sampleTweets,
  testKafka,
  testWorkerConfig,
  uniqueTopics,
} from '../integration/worker/worker-harness';
import { rawPoisonSamples } from '../support/poison-samples';
import {
  account,
  openStore,
  produceValues,
  services,
  streamTweet,
  waitForHealthyKafka,
  waitUntilAccounted,
  type ScenarioRow,
} from './reliability-harness';

const PARTITIONS = 2;
// kafkajs logs every refused connection of an outage at ERROR; the assertions say what matters.
const quietLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? 'fatal' }, pino.destination(2));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The poison of the n-th record of the outage stream (poison every 10th): each kind in turn. */
const pickPoison = (key: string, n: number): Buffer | null => {
  const samples = rawPoisonSamples(key);
  return samples[Math.floor(n / 10) % samples.length].value;
};

/** Re-reads the whole output topic with a fresh consumer, so the count reflects the topic, not a reader that restarted. */
async function rereadOutput(
  kafka: ReturnType<typeof testKafka>,
  topic: string,
  codec: Awaited<ReturnType<typeof rawCodec>>,
  atLeast: number,
) {
  const reader = new OutputReader(kafka, topic, codec);
  await reader.start();
  await reader.waitForCount(atLeast, 120_000);
  // Give a duplicate beyond `atLeast`, if any, time to arrive.
  await sleep(2_000);
  await reader.stop();
  return reader;
}

function expectDown(service: 'kafka' | 'redis'): void {
  const status = services('status', service);
  if (!new RegExp(`^${service}\\s+down`, 'm').test(status)) {
    throw new Error(
      `scripts/services stop ${service} did not stop it (was it started by another checkout?):\n${status}`,
    );
  }
}

/**
 * d. Redis stopped while poison arrives: no offset is committed past a message that is not yet
 * dead-lettered, and once Redis is back every record is in the output or the DLQ.
 */
export async function redisOutageScenario(events: number, outageMs: number): Promise<ScenarioRow> {
  const kafka = testKafka();
  const topics = uniqueTopics('rel-redis');
  await createTopic(kafka, topics.input, PARTITIONS);
  const codec = await rawCodec(topics);
  const before = Math.floor(events / 2);
  await produceTweets(kafka, topics.input, sampleTweets(before, `${topics.input}-before`), codec);
  const { store, close } = openStore(topics.dlq);
  const running = await startWorker(
    testWorkerConfig(topics, { PIPELINE_CHUNK_SIZE: '50', DLQ_REDIS_TIMEOUT_MS: '1000' }),
    { logger: quietLogger(), env: {} },
  );
  const reader = new OutputReader(kafka, topics.output, codec);
  let redisStopped = false;
  try {
    await reader.start();
    await reader.waitForCount(before, 180_000);

    const stoppedAt = Date.now();
    services('stop', 'redis');
    redisStopped = true;
    expectDown('redis');
    // During the outage: valid tweets with poison mixed in, one send each to know every offset.
    const during = Array.from({ length: events - before }, (_, n) => {
      const key = `${topics.input}-during-${n}`;
      const value = n % 10 === 3 ? pickPoison(key, n) : streamTweet(key, `during the outage ${n}`, n);
      return { key, value, poison: n % 10 === 3 };
    });
    const placed = await produceValues(kafka, topics.input, during);
    const poisonAt = placed.filter((_, index) => during[index].poison);
    await sleep(Math.max(0, outageMs - (Date.now() - stoppedAt)));
    // The invariant: no offset is committed past a record that is not durably dead-lettered. Read the
    // commits first, then the DLQ (empty while Redis is down; entries are never removed meanwhile),
    // so a record below a commit must already show in the DLQ — even if someone else's
    // `scripts/services up` brought Redis back early.
    const committed = await committedOffsets(kafka, topics.group, topics.input);
    const dead = new Set(
      (await store.list().catch(() => [])).map((entry) => `${entry.partition}:${entry.offset}`),
    );
    const committedPastUndeadLettered = poisonAt.filter(
      (where) =>
        BigInt(committed.get(where.partition) ?? '-1') > BigInt(where.offset) &&
        !dead.has(`${where.partition}:${where.offset}`),
    );
    expect(committedPastUndeadLettered).toEqual([]);
    services('start', 'redis');
    redisStopped = false;

    await waitUntilAccounted(kafka, topics.input, reader, store);
    const poisonCount = during.filter((item) => item.poison).length;
    const final = await rereadOutput(kafka, topics.output, codec, events - poisonCount);
    const { row, overlap } = await account(
      `d. Redis stopped ${Math.round(outageMs / 1000)} s`,
      kafka,
      topics.input,
      final,
      store,
    );
    expect(overlap).toBe(0);
    expect(row).toMatchObject({ missing: 0, dlq: poisonCount, out: events - poisonCount });
    return row;
  } finally {
    if (redisStopped) services('start', 'redis');
    await running.worker.stop();
    await reader.stop();
    await close();
  }
}

/** c. The broker stopped and restarted mid-stream: the worker reconnects and nothing is missing. */
export async function brokerOutageScenario(events: number): Promise<ScenarioRow> {
  const kafka = testKafka();
  const topics = uniqueTopics('rel-kafka');
  await createTopic(kafka, topics.input, PARTITIONS);
  const codec = await rawCodec(topics);
  await produceTweets(kafka, topics.input, sampleTweets(events, topics.input), codec);
  const { store, close } = openStore(topics.dlq);
  const running = await startWorker(testWorkerConfig(topics, { PIPELINE_CHUNK_SIZE: '50' }), {
    logger: quietLogger(),
    env: {},
  });
  let kafkaStopped = false;
  let fatal: Error | undefined;
  running.worker.onFatal((error) => (fatal = error));
  try {
    // Polled with short-lived admin clients: a consumer alive during the outage would crash and
    // schedule a restart that outlives the test.
    await waitForOutput(kafka, topics.output, 100);
    services('stop', 'kafka');
    kafkaStopped = true;
    expectDown('kafka');
    await sleep(3_000);
    services('start', 'kafka');
    kafkaStopped = false;
    await waitForHealthyKafka(kafka);

    const final = await rereadOutput(kafka, topics.output, codec, events);
    expect(fatal).toBeUndefined();
    await waitUntilAccounted(kafka, topics.input, final, store, 30_000);
    const { row, overlap } = await account(
      'c. broker stopped + restarted',
      kafka,
      topics.input,
      final,
      store,
    );
    expect(overlap).toBe(0);
    expect(row).toMatchObject({ missing: 0, dlq: 0 });
    return row;
  } finally {
    if (kafkaStopped) {
      services('start', 'kafka');
      await waitForHealthyKafka(kafka);
    }
    await running.worker.stop();
    await close();
  }
}

async function waitForOutput(
  kafka: ReturnType<typeof testKafka>,
  topic: string,
  count: number,
): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const ends = await endOffsets(kafka, topic).catch(() => new Map<number, string>());
    const total = [...ends.values()].reduce((sum, high) => sum + Number(high), 0);
    if (total >= count) return;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${count} output records (have ${total})`);
    await sleep(250);
  }
}
