import { startWorker } from '../../../src/apps/worker';
import {
  committedOffsets,
  duplicates,
  endOffsets,
  OutputReader,
  seedInput,
  testLogger,
  testWorkerConfig,
} from './worker-harness';

// Issue 5 item 5: EXACTLY_ONCE=true — records and offsets commit in one transaction, so a
// read_committed reader sees each input once. The crash variant (SIGKILL of a real process, then a
// second worker takes over) is in cli-process.test.ts.
const EVENTS = Number(process.env.WORKER_EOS_EVENTS ?? 1_000);

jest.setTimeout(180_000);

test('exactly-once mode: a read_committed reader sees every input once, and offsets move with the transactions', async () => {
  const { kafka, topics, codec, tweets } = await seedInput('eos', { partitions: 2, events: EVENTS });

  const { worker } = await startWorker(
    testWorkerConfig(topics, { EXACTLY_ONCE: 'true', PIPELINE_CHUNK_SIZE: '100' }),
    {
      logger: testLogger(),
      env: {},
    },
  );
  const reader = new OutputReader(kafka, topics.output, codec, true);
  try {
    await reader.start();
    await reader.waitForCount(EVENTS);
  } finally {
    expect(await worker.stop()).toBe(true);
    await reader.stop();
  }
  const ids = reader.events.map((item) => item.event.id);
  expect(duplicates(ids)).toEqual([]);
  expect(new Set(ids)).toEqual(new Set(tweets.map((tweet) => tweet.id)));
  expect(await committedOffsets(kafka, topics.group, topics.input)).toEqual(
    await endOffsets(kafka, topics.input),
  );
});
