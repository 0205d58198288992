import { Command } from 'commander';
import { register as registerDlq } from '../../src/cli/dlq';
import { createCodec } from '../../src/codec';
import { openDeadLetterStore } from '../../src/dlq';
import { startWorker } from '../../src/apps/worker';
import { createClassifier } from '../../src/pipeline/batched-classifier';
import { createKafkaClient } from '../../src/kafka/kafka-client';
import { createStreamWorker } from '../../src/pipeline/stream-worker';
import {
  createTopic,
  OutputReader,
  rawCodec,
  testKafka,
  testLogger,
  testWorkerConfig,
  uniqueTopics,
  waitFor,
} from '../integration/worker/worker-harness';
import { kafkaBrokers, redisUrl } from '../support/services';
import { openStore, produceBulk, streamTweet, type ScenarioRow } from './reliability-harness';

const LONG_EVERY = 10;
const TOO_SMALL_LIMIT = 200;

/**
 * e. A misconfigured worker (text limit far too small) dead-letters every long tweet; once a
 * correctly configured worker runs, `emotion-stream dlq replay --all` drains the DLQ into the output.
 */
export async function replayScenario(events: number): Promise<ScenarioRow> {
  const kafka = testKafka();
  const topics = uniqueTopics('rel-replay');
  await createTopic(kafka, topics.input, 2);
  const ids: string[] = [];
  const values = Array.from({ length: events }, (_, n) => {
    const id = `${topics.input}-${n}`;
    ids.push(id);
    const text =
      n % LONG_EVERY === 0
        ? `a long one ${n}: ${'so much to say about today '.repeat(20)}`
        : `short tweet ${n}, feeling good`;
    return { key: id, value: streamTweet(id, text, n) };
  });
  const longCount = ids.filter((_, n) => n % LONG_EVERY === 0).length;
  await produceBulk(kafka, topics.input, values);

  const codec = await rawCodec(topics);
  const reader = new OutputReader(kafka, topics.output, codec);
  const { store, close } = openStore(topics.dlq);
  const logger = testLogger();
  const config = testWorkerConfig(topics, { PIPELINE_CHUNK_SIZE: '100' });
  try {
    // The "bug": a worker wired with a text limit far below the real texts.
    const misconfigured = await createCodec({
      inputTopic: topics.input,
      outputTopic: topics.output,
      maxTextBytes: TOO_SMALL_LIMIT,
    });
    const classifier = await createClassifier({
      modelDir: config.modelDir,
      maxBatchSize: config.batchMaxSize,
      maxWaitMs: config.batchMaxWaitMs,
    });
    const deadLetters = await openDeadLetterStore({
      redisUrl: redisUrl(),
      queueName: topics.dlq,
      redisTimeoutMs: 15_000,
      mirrorTopic: undefined,
    });
    const buggy = createStreamWorker({
      kafka: createKafkaClient(config.kafka, logger),
      config,
      decoder: misconfigured.decoder,
      encoder: misconfigured.encoder,
      classifier,
      deadLetter: deadLetters.store,
      logger,
      cleanups: [
        { name: 'classifier', close: () => classifier.close() },
        { name: 'dead-letter store', close: () => deadLetters.close() },
      ],
    });
    await buggy.start();
    // After the worker created the output topic.
    await reader.start();
    try {
      await waitFor(
        () => reader.events.length >= events - longCount,
        () => `the short tweets (have ${reader.events.length})`,
        240_000,
      );
      await waitForAsync(async () => (await store.count()) >= longCount, 'the long tweets in the DLQ');
    } finally {
      await buggy.stop();
    }
    const entries = await store.list();
    expect(new Set(entries.map((entry) => entry.code))).toEqual(new Set(['TEXT_TOO_LONG']));

    // The fix: the worker as configured by default; then the operator drains the DLQ.
    const fixed = await startWorker(config, { logger, env: {} });
    try {
      const program = new Command('emotion-stream').exitOverride();
      registerDlq(program);
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        await program.parseAsync(
          [
            'dlq',
            'replay',
            '--all',
            '--queue',
            topics.dlq,
            '--redis-url',
            redisUrl(),
            '--brokers',
            kafkaBrokers().join(','),
          ],
          {
            from: 'user',
          },
        );
      } finally {
        write.mockRestore();
      }
      await waitFor(
        () => new Set(reader.events.map((item) => item.event.id)).size >= events,
        () => `every id in the output (have ${reader.events.length})`,
        240_000,
      );
    } finally {
      await fixed.worker.stop();
    }
    const outIds = reader.events.map((item) => item.event.id);
    const distinct = new Set(outIds);
    const row: ScenarioRow = {
      scenario: 'e. dlq replay after the fix',
      in: events,
      out: distinct.size,
      dlq: await store.count(),
      missing: ids.filter((id) => !distinct.has(id)).length,
      duplicates: outIds.length - distinct.size,
    };
    expect(row).toMatchObject({ out: events, dlq: 0, missing: 0, duplicates: 0 });
    return row;
  } finally {
    await reader.stop();
    await close();
  }
}

async function waitForAsync(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
