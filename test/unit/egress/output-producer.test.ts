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
