import { startWorker } from '../../../src/apps/worker';
import {
  createTopic,
  duplicates,
  OutputReader,
  produceTweets,
  rawCodec,
  sampleTweets,
  testKafka,
  testLogger,
  testWorkerConfig,
  uniqueTopics,
  waitFor,
} from './worker-harness';

// Issue 5 item 7: two workers in one group split 4 partitions; one is stopped mid-stream and every
// event still comes out (the survivor takes its partitions over from the committed offsets).
const EVENTS = Number(process.env.WORKER_REBALANCE_EVENTS ?? 1_600);

jest.setTimeout(180_000);

test('two workers split 4 partitions; stopping one mid-stream loses nothing', async () => {
  const kafka = testKafka();
  const topics = uniqueTopics('rebalance');
  await createTopic(kafka, topics.input, 4);
  const codec = await rawCodec(topics);
  const tweets = sampleTweets(EVENTS, topics.input);
  const half = EVENTS / 2;
  await produceTweets(kafka, topics.input, tweets.slice(0, half), codec);

  // Small chunks so the stop lands mid-stream, with work in flight.
  const config = testWorkerConfig(topics, { PIPELINE_CHUNK_SIZE: '32', SHUTDOWN_TIMEOUT_MS: '15000' });
  const first = await startWorker(config, { logger: testLogger(), env: {} });
  const second = await startWorker(config, { logger: testLogger(), env: {} });
  const reader = new OutputReader(kafka, topics.output, codec);
  await reader.start();
  let stoppedCleanly: boolean | undefined;
  try {
    // Both members own partitions before the stream goes on.
    await waitFor(
      () =>
        first.worker.assignment().length + second.worker.assignment().length === 4 &&
        first.worker.assignment().length > 0 &&
        second.worker.assignment().length > 0,
      () =>
        `the group to split 4 partitions (first ${first.worker.assignment()}, second ${second.worker.assignment()})`,
    );
    await reader.waitForCount(Math.floor(half / 4));
    const producing = produceTweets(kafka, topics.input, tweets.slice(half), codec);
    stoppedCleanly = await second.worker.stop();
    await producing;
    await waitFor(() => first.worker.assignment().length === 4, 'the survivor to own all 4 partitions');
    await waitFor(
      () => new Set(reader.events.map((item) => item.event.id)).size >= EVENTS,
      () =>
        `every event to come out (have ${new Set(reader.events.map((item) => item.event.id)).size} distinct of ${EVENTS})`,
    );
  } finally {
    await first.worker.stop();
    await second.worker.stop();
    await reader.stop();
  }
  expect(stoppedCleanly).toBe(true);
  const ids = reader.events.map((item) => item.event.id);
  expect(new Set(ids)).toEqual(new Set(tweets.map((tweet) => tweet.id)));
  // A graceful stop commits everything it wrote, so the handover repeats nothing.
  expect(duplicates(ids)).toEqual([]);
});
