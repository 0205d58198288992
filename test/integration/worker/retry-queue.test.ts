import { SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { InferenceFailedError, type Classifier } from '../../../src/core';
import { openDeadLetterStore } from '../../../src/dlq';
import { createClassifier } from '../../../src/pipeline/batched-classifier';
import { createKafkaClient } from '../../../src/kafka/kafka-client';
import { copyInputHeaders } from '../../../src/pipeline/process-chunk';
import { openRetryPath } from '../../../src/pipeline/retry-path';
import { createStreamWorker } from '../../../src/pipeline/stream-worker';
import { OutputReader, seedInput, testLogger, testWorkerConfig, TINY_MODEL_DIR } from './worker-harness';

// Transient failures leave the hot path for the BullMQ retry queue (wired as in src/main.ts): a
// record whose inference fails a few times still comes out; one that always fails is dead-lettered
// after RETRY_MAX_ATTEMPTS tries in all, with its reason. The model is real; only the failures are
// injected, because an ONNX runtime error cannot be provoked on demand. The retry path is traced
// (an in-memory exporter) so its attempts show up as spans like the hot path's chunks.
jest.setTimeout(120_000);

test('a flaky record comes out through the retry queue; a hopeless one is dead-lettered after the last attempt', async () => {
  const { kafka, topics, codec, tweets } = await seedInput('retry', { partitions: 1, events: 40 });
  const config = testWorkerConfig(topics, { PIPELINE_CHUNK_SIZE: '16' });
  const flaky = tweets[7].text;
  const hopeless = tweets[9].text;

  const logger = testLogger();
  const model = await createClassifier({ modelDir: TINY_MODEL_DIR });
  let flakyFailures = 0;
  const classifier: Classifier = {
    model: model.model,
    close: () => model.close(),
    async classify(texts) {
      const results = await model.classify(texts);
      return results.map((result, index) => {
        if (texts[index] === hopeless) return new InferenceFailedError('injected: always fails');
        if (texts[index] === flaky && flakyFailures < 3) {
          flakyFailures += 1;
          return new InferenceFailedError('injected: fails three times');
        }
        return result;
      });
    },
  };
  const policy = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 200 };
  const deadLetters = await openDeadLetterStore({
    redisUrl: config.deadLetter.redisUrl,
    queueName: topics.dlq,
    redisTimeoutMs: 2_000,
    mirrorTopic: undefined,
  });
  const workerKafka = createKafkaClient(config.kafka, logger);
  const stages = {
    outputTopic: topics.output,
    decoder: codec.decoder,
    classifier,
    encoder: codec.encoder,
    outputHeaders: copyInputHeaders,
    retry: policy,
    now: Date.now,
  };
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
    'test',
  );
  const retryPath = await openRetryPath({
    kafka: workerKafka,
    redisUrl: config.deadLetter.redisUrl,
    queueName: `${topics.dlq}-retry`,
    redisTimeoutMs: 2_000,
    policy,
    deadLetters: deadLetters.store,
    stages,
    logger,
    tracer,
  });
  const worker = createStreamWorker({
    kafka: workerKafka,
    config,
    decoder: codec.decoder,
    encoder: codec.encoder,
    classifier,
    deadLetter: retryPath.sink,
    logger,
    retry: { ...policy, maxAttempts: 2 },
    cleanups: [
      { name: 'retry queue', close: () => retryPath.close() },
      { name: 'classifier', close: () => classifier.close() },
    ],
  });
  const reader = new OutputReader(kafka, topics.output, codec);
  let entries: Awaited<ReturnType<typeof deadLetters.store.list>> = [];
  try {
    await worker.start();
    await retryPath.start();
    await reader.start();
    await reader.waitForCount(tweets.length - 1);
    const deadline = Date.now() + 60_000;
    while (entries.length === 0 && Date.now() < deadline) {
      entries = await deadLetters.store.list();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    expect(await worker.stop()).toBe(true);
    await reader.stop();
    await deadLetters.store.purge();
    await deadLetters.close();
  }
  const ids = new Set(reader.events.map((item) => item.event.id));
  expect(ids).toEqual(new Set(tweets.filter((tweet) => tweet.text !== hopeless).map((tweet) => tweet.id)));
  expect(flakyFailures).toBe(3);
  expect(
    entries.map((entry) => ({ offset: entry.offset, code: entry.code, attempts: entry.attempts })),
  ).toEqual([{ offset: '9', code: 'INFERENCE_FAILED', attempts: 5 }]);

  // Queue attempts: the flaky record's third failure, then its success; the hopeless one's attempts 3-5.
  const spans = exporter.getFinishedSpans();
  const attempts = spans.filter(
    (span) => span.attributes['emotion_stream.retry.queue'] === `${topics.dlq}-retry`,
  );
  const failed = attempts.filter((span) => span.status.code === SpanStatusCode.ERROR);
  const succeeded = attempts.filter((span) => span.status.code !== SpanStatusCode.ERROR);
  expect(failed.length).toBeGreaterThanOrEqual(4);
  expect(failed.every((span) => span.attributes['emotion_stream.error.code'] === 'INFERENCE_FAILED')).toBe(
    true,
  );
  expect(succeeded).toHaveLength(1);
  expect(
    spans.some(
      (span) =>
        span.name === 'produce' && span.parentSpanContext?.spanId === succeeded[0].spanContext().spanId,
    ),
  ).toBe(true);
});
