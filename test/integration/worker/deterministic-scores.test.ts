import { DEFAULT_MODEL_DIR } from '../../../src/config/defaults';
import { fromPackageRoot } from '../../../src/config/package-root';
import type { EmotionResult, Tweet } from '../../../src/core';
import { InferenceEngine } from '../../../src/inference';
import { startWorker } from '../../../src/apps/worker';
import { differences, validationSample } from '../../support/determinism';
import {
  createTopic,
  OutputReader,
  produceTweets,
  rawCodec,
  testKafka,
  testLogger,
  testWorkerConfig,
  uniqueTopics,
} from './worker-harness';

// Issue 17 through the running worker: 600 validation texts go through Kafka, the worker's consumer,
// micro-batcher (batches of 16 built by length bucket and arrival, 4 partitions) and the output topic; each
// published label must equal the text's label when classified alone, and every score (Avro float) must be
// within 1e-4 of it. The unit test (test/unit/models/deterministic-scores.test.ts) covers the other paths.
const TEXTS = 600;
const PARTITIONS = 4;
const MODEL_DIR = fromPackageRoot(DEFAULT_MODEL_DIR);

jest.setTimeout(180_000);

test(`the worker publishes for each of ${TEXTS} texts the label and scores it gets alone`, async () => {
  const texts = await validationSample(TEXTS);
  const kafka = testKafka();
  const topics = uniqueTopics('determinism');
  await createTopic(kafka, topics.input, PARTITIONS);
  const codec = await rawCodec(topics);
  const tweets: Tweet[] = texts.map((text, n) => ({
    id: `${topics.input}-${n}`,
    text,
    createdAt: 1_700_000_000_000 + n,
    lang: 'en',
    userId: null,
    userName: null,
    source: 'determinism-test',
    hashtags: [],
    attributes: {},
  }));
  await produceTweets(kafka, topics.input, tweets, codec);

  const { worker } = await startWorker(testWorkerConfig(topics, { MODEL_DIR, BATCH_MAX_SIZE: '16' }), {
    logger: testLogger(),
    env: {},
  });
  const reader = new OutputReader(kafka, topics.output, codec);
  try {
    await reader.start();
    await reader.waitForCount(TEXTS, 150_000);
  } finally {
    expect(await worker.stop()).toBe(true);
    await reader.stop();
  }

  const engine = await InferenceEngine.load({ modelDir: MODEL_DIR, workers: 1, intraOpThreads: 1 });
  const alone: EmotionResult[] = [];
  try {
    for (const text of texts) alone.push((await engine.inferBatch([engine.encode(text)]))[0]);
  } finally {
    await engine.close();
  }
  const index = new Map(tweets.map((tweet, n) => [tweet.id, n]));
  const found = new Map<number, Pick<EmotionResult, 'label' | 'scores'>>();
  for (const item of reader.events) {
    const n = index.get(item.event.id);
    if (n === undefined) throw new Error(`unexpected output id ${item.event.id}`);
    found.set(n, item.event.emotion);
  }
  expect(found.size).toBe(TEXTS);
  expect(reader.events[0].event.modelName).toBe('emotion-minilm-l3');
  expect(differences(alone, found)).toEqual([]);
});
