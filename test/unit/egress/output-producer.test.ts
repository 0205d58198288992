import type { Kafka, ProducerRecord } from 'kafkajs';
import { createOutputProducer } from '../../../src/egress/output-producer';

// The coalescing sender against a stand-in kafkajs producer (the real one is exercised by
// test/integration/worker): one request in flight, everything queued meanwhile goes out together.

function fakeKafka(send: (record: ProducerRecord) => Promise<void>): { kafka: Kafka; options: unknown[] } {
  const options: unknown[] = [];
  const kafka = {
    producer: (producerOptions: unknown) => {
      options.push(producerOptions);
      return { connect: async () => undefined, disconnect: async () => undefined, send };
    },
  } as unknown as Kafka;
  return { kafka, options };
}

const record = (key: string) => ({ key, value: Buffer.from(key) });

test('is idempotent with acks=all and coalesces sends made while one is in flight, keeping their order', async () => {
  const requests: Array<{ acks?: number; keys: string[] }> = [];
  let release: () => void = () => undefined;
  const { kafka, options } = fakeKafka(async (request) => {
    requests.push({ acks: request.acks, keys: request.messages.map((message) => String(message.key)) });
    if (requests.length === 1) await new Promise<void>((resolve) => (release = resolve));
  });
  const producer = createOutputProducer({ kafka, topic: 'out' });
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
  const producer = createOutputProducer({ kafka, topic: 'out' });
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
  const big = (key: string) => ({ key, value: Buffer.alloc(1000) });
  const producer = createOutputProducer({ kafka, topic: 'out', limit: { maxRequestBytes: 2_500 } });
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
