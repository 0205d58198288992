import { POISON_CODES } from '../../src/core';
import { startWorker } from '../../src/apps/worker';
import {
  createTopic,
  OutputReader,
  rawCodec,
  testKafka,
  testLogger,
  testWorkerConfig,
  uniqueTopics,
} from '../integration/worker/worker-harness';
import { rawPoisonSamples } from '../support/poison-samples';
import {
  account,
  openStore,
  produceBulk,
  streamTweet,
  waitUntilAccounted,
  type ScenarioRow,
} from './reliability-harness';

const POISON_EVERY = 20;

/**
 * a. N events with every kind of poison mixed in: output + DLQ = input exactly, every dead letter
 * names its reason, nothing is in both.
 */
export async function poisonScenario(events: number): Promise<ScenarioRow> {
  const kafka = testKafka();
  const topics = uniqueTopics('rel-poison');
  await createTopic(kafka, topics.input, 4);
  const poisonKeys = new Map<string, string>();
  const values = Array.from({ length: events }, (_, n) => {
    const key = `${topics.input}-${n}`;
    if (n % POISON_EVERY !== POISON_EVERY - 1)
      return { key, value: streamTweet(key, `tweet ${n}: what a day, i feel fine`, n) };
    const samples = rawPoisonSamples(key);
    const sample = samples[Math.floor(n / POISON_EVERY) % samples.length];
    poisonKeys.set(key, sample.kind);
    return { key, value: sample.value };
  });
  await produceBulk(kafka, topics.input, values);

  const codec = await rawCodec(topics);
  const reader = new OutputReader(kafka, topics.output, codec);
  const { store, close } = openStore(topics.dlq);
  const running = await startWorker(testWorkerConfig(topics, { PIPELINE_CHUNK_SIZE: '100' }), {
    logger: testLogger(),
    env: {},
  });
  try {
    await reader.start();
    await waitUntilAccounted(kafka, topics.input, reader, store);
    const { row, entries, overlap } = await account('a. poison mixed in', kafka, topics.input, reader, store);
    expect(overlap).toBe(0);
    expect(row.missing).toBe(0);
    expect(row.duplicates).toBe(0);
    expect(row.dlq).toBe(poisonKeys.size);
    expect(row.out).toBe(events - poisonKeys.size);
    expect(new Set(poisonKeys.values()).size).toBeGreaterThanOrEqual(12);
    // Every dead letter is one of the poison records and names a poison reason.
    const known = new Set<string>(POISON_CODES);
    for (const entry of entries) {
      const key = entry.key === null ? '' : Buffer.from(entry.key, 'base64').toString();
      expect({
        key: poisonKeys.has(key),
        code: known.has(entry.code),
        message: entry.message.length > 0,
      }).toEqual({
        key: true,
        code: true,
        message: true,
      });
    }
    return row;
  } finally {
    await running.worker.stop();
    await reader.stop();
    await close();
  }
}
