import { startWorker } from '../../../src/apps/worker';
import { schemaRegistryUrl } from '../../support/services';
import { duplicates, OutputReader, seedInput, testLogger, testWorkerConfig } from './worker-harness';

// Issue 5 items 2 and 7: with SCHEMA_REGISTRY_URL the worker reads and writes the Confluent wire
// format (magic byte 0 + schema id) through the real registry; raw Avro is end-to-end.test.ts.
const EVENTS = 300;

jest.setTimeout(180_000);

test('Confluent wire format end to end through the schema registry', async () => {
  const registry = schemaRegistryUrl();
  const { kafka, topics, codec, tweets } = await seedInput('confluent', {
    partitions: 2,
    events: EVENTS,
    schemaRegistryUrl: registry,
  });
  expect(codec.wireFormat).toBe('confluent');

  const { worker } = await startWorker(testWorkerConfig(topics, { SCHEMA_REGISTRY_URL: registry }), {
    logger: testLogger(),
    env: {},
  });
  const reader = new OutputReader(kafka, topics.output, codec);
  const firstBytes: number[] = [];
  const raw = kafka.consumer({ groupId: `${topics.group}-raw` });
  try {
    await reader.start();
    await reader.waitForCount(EVENTS);
    await raw.connect();
    await raw.subscribe({ topic: topics.output, fromBeginning: true });
    await raw.run({ eachMessage: async ({ message }) => void firstBytes.push(message.value?.[0] ?? -1) });
    const deadline = Date.now() + 30_000;
    while (firstBytes.length < EVENTS && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    expect(await worker.stop()).toBe(true);
    await reader.stop();
    await raw.disconnect();
  }
  const ids = reader.events.map((item) => item.event.id);
  expect(duplicates(ids)).toEqual([]);
  expect(new Set(ids)).toEqual(new Set(tweets.map((tweet) => tweet.id)));
  // Every output value is framed: magic byte 0.
  expect(new Set(firstBytes)).toEqual(new Set([0]));
});
