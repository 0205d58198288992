import type { Kafka, ProducerBatch } from 'kafkajs';
import { createOutputProducer } from '../../../src/egress/output-producer';

// The coalescing sender against a stand-in kafkajs producer (the real one is exercised by
// test/integration/worker): one request in flight, everything queued meanwhile goes out together.

/** One request as the tests read it: acks, and the keys of every topic's messages in order. */
interface SentRequest {
  acks?: number;
  messages: Array<{ key?: string | Buffer | null }>;
  topics: string[];
}

function fakeKafka(send: (request: SentRequest) => Promise<void>): { kafka: Kafka; options: unknown[] } {
  const options: unknown[] = [];
  const sendBatch = (batch: ProducerBatch) =>
    send({
      acks: batch.acks,
      messages: (batch.topicMessages ?? []).flatMap((topic) => topic.messages),
      topics: (batch.topicMessages ?? []).map((topic) => topic.topic),
    });
  const kafka = {
    producer: (producerOptions: unknown) => {
      options.push(producerOptions);
      return { connect: async () => undefined, disconnect: async () => undefined, sendBatch };
    },
  } as unknown as Kafka;
  return { kafka, options };
}

const record = (key: string, topic = 'out') => ({ topic, key, value: Buffer.from(key) });

test('is idempotent with acks=all and coalesces sends made while one is in flight, keeping their order', async () => {
  const requests: Array<{ acks?: number; keys: string[] }> = [];
  let release: () => void = () => undefined;
  const { kafka, options } = fakeKafka(async (request) => {
    requests.push({ acks: request.acks, keys: request.messages.map((message) => String(message.key)) });
    if (requests.length === 1) await new Promise<void>((resolve) => (release = resolve));
  });
  const producer = createOutputProducer({ kafka });
  expect(options[0]).toMatchObject({ idempotent: true, maxInFlightRequests: 1 });

  const first = producer.send([record('a')]);
  const second = producer.send([record('b'), record('c')]);
  const third = producer.send([record('d')]);
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(requests).toHaveLength(1);
  release();
  await Promise.all([first, second, third]);
  expect(requests).toEqual([
    { acks: -1, keys: ['a'] },
    { acks: -1, keys: ['b', 'c', 'd'] },
  ]);
});

test('a failed request rejects every send it carried, and later sends still go out', async () => {
  let fail = true;
  const { kafka } = fakeKafka(async () => {
    if (fail) throw new Error('not enough replicas');
  });
  const producer = createOutputProducer({ kafka });
  await expect(producer.send([record('a')])).rejects.toThrow('not enough replicas');
  fail = false;
  await expect(producer.send([record('b')])).resolves.toBeUndefined();
});

test('splits a round into requests under the size limit; each caller resolves with its last request', async () => {
  const requests: string[][] = [];
  let failAt = -1;
  const { kafka } = fakeKafka(async (request) => {
    requests.push(request.messages.map((message) => String(message.key)));
    if (requests.length - 1 === failAt) throw new Error('MESSAGE_TOO_LARGE');
  });
  // Each record is ~1 KiB; 2.5 KiB per request fits two.
  const big = (key: string) => ({ topic: 'out', key, value: Buffer.alloc(1000) });
  const producer = createOutputProducer({ kafka, limit: { maxRequestBytes: 2_500 } });
  await Promise.all([producer.send([big('a'), big('b'), big('c')]), producer.send([big('d')])]);
  expect(requests).toEqual([['a', 'b'], ['c'], ['d']]);

  // The second request of a round fails: the caller wholly in the first resolves, the others reject.
  requests.length = 0;
  failAt = 2;
  const blocker = producer.send([big('x')]);
  const done = producer.send([big('e'), big('f')]);
  const split = producer.send([big('g'), big('h')]);
  const after = producer.send([big('i')]);
  await blocker;
  await expect(done).resolves.toBeUndefined();
  await expect(split).rejects.toThrow('MESSAGE_TOO_LARGE');
  await expect(after).rejects.toThrow('MESSAGE_TOO_LARGE');
  expect(requests).toEqual([['x'], ['e', 'f'], ['g', 'h']]);
});

test('one request carries the records of both topics, each topic in its order, and the size limit counts them all', async () => {
  const requests: Array<{ topics: string[]; keys: string[] }> = [];
  const { kafka } = fakeKafka(async (request) => {
    requests.push({ topics: request.topics, keys: request.messages.map((message) => String(message.key)) });
  });
  const producer = createOutputProducer({ kafka });
  await producer.send([
    record('a'),
    record('b', 'out.unclassified'),
    record('c'),
    record('d', 'out.unclassified'),
  ]);
  expect(requests).toEqual([{ topics: ['out', 'out.unclassified'], keys: ['a', 'c', 'b', 'd'] }]);

  requests.length = 0;
  const sized = createOutputProducer({ kafka, limit: { maxRequestBytes: 2_500 } });
  const big = (key: string, topic: string) => ({ topic, key, value: Buffer.alloc(1000) });
  await sized.send([big('e', 'out'), big('f', 'out.unclassified'), big('g', 'out.unclassified')]);
  expect(requests).toEqual([
    { topics: ['out', 'out.unclassified'], keys: ['e', 'f'] },
    { topics: ['out.unclassified'], keys: ['g'] },
  ]);
});
