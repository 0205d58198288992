import type { Classifier } from '../../../src/core';
import { openDeadLetterStore } from '../../../src/dlq';
import { createClassifier } from '../../../src/pipeline/batched-classifier';
import { createKafkaClient } from '../../../src/kafka/kafka-client';
import { createStreamWorker } from '../../../src/pipeline/stream-worker';
import {
  committedOffsets,
  duplicates,
  endOffsets,
  OutputReader,
  seedInput,
  testLogger,
  testWorkerConfig,
  TINY_MODEL_DIR,
} from './worker-harness';

// kafkajs heartbeats only between batches. A model run longer than the session timeout must not
// get the member thrown out of the group: if it did, the chunk's commit would fail, the partition
// would be fetched again and its records would come out twice. The model is real; only its
// slowness (a run of 3 session timeouts) is injected.
jest.setTimeout(120_000);

test('a model run longer than the session timeout keeps the member in the group (no duplicates)', async () => {
  const { kafka, topics, codec, tweets } = await seedInput('heartbeat', { partitions: 1, events: 20 });
  const config = testWorkerConfig(topics, { KAFKA_SESSION_TIMEOUT_MS: '6000', PIPELINE_CHUNK_SIZE: '5' });

  const model = await createClassifier({ modelDir: TINY_MODEL_DIR });
  let calls = 0;
  const slow: Classifier = {
    model: model.model,
    close: () => model.close(),
    async classify(texts) {
      calls += 1;
      if (calls === 1) await new Promise((resolve) => setTimeout(resolve, 18_000));
      return model.classify(texts);
    },
  };
  const deadLetters = await openDeadLetterStore({
    redisUrl: config.deadLetter.redisUrl,
    queueName: topics.dlq,
    redisTimeoutMs: 2_000,
    mirrorTopic: undefined,
  });
  const logger = testLogger();
  const worker = createStreamWorker({
    kafka: createKafkaClient(config.kafka, logger),
    config,
    decoder: codec.decoder,
    encoder: codec.encoder,
    classifier: slow,
    deadLetter: deadLetters.store,
    logger,
    cleanups: [
      { name: 'classifier', close: () => slow.close() },
      { name: 'dead-letter store', close: () => deadLetters.close() },
    ],
  });
  const reader = new OutputReader(kafka, topics.output, codec);
  try {
    await worker.start();
    await reader.start();
    await reader.waitForCount(tweets.length);
    // Time for a re-delivery to show up, had the member been evicted.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  } finally {
    expect(await worker.stop()).toBe(true);
    await reader.stop();
  }
  expect(duplicates(reader.events.map((item) => item.event.id))).toEqual([]);
  expect(reader.events).toHaveLength(tweets.length);
  expect(await committedOffsets(kafka, topics.group, topics.input)).toEqual(
    await endOffsets(kafka, topics.input),
  );
});
