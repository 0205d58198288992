import pino from 'pino';
import {
  InferenceFailedError,
  PoisonMessageError,
  RedisUnavailableError,
  type Classifier,
  type DeadLetterSink,
  type EmotionResult,
  type Envelope,
  type Tweet,
} from '../../../src/core';
import type { OutputProducer } from '../../../src/egress/output-producer';
import type { OutputRecord } from '../../../src/egress/output-record';
import { recordBytes, type OutputSizeLimit } from '../../../src/core/record-size';
import type { PartitionBatch } from '../../../src/ingest/partition-batch';
import type { Backpressure } from '../../../src/pipeline/backpressure';
import { createPartitionProcessor } from '../../../src/pipeline/partition-processor';
import { copyInputHeaders } from '../../../src/pipeline/process-chunk';
import { createStopController, type StopController } from '../../../src/pipeline/stop-signal';

// The partition loop against in-memory stages (the Kafka side is covered by test/integration/worker).
// Values are JSON tweets; "poison" values fail decoding; the fake model labels by text length.

const logger = pino({ level: 'silent' });

function envelopes(count: number, poisonAt: number[] = []): Envelope[] {
  return Array.from({ length: count }, (_, n) => ({
    topic: 'in',
    partition: 0,
    offset: String(100 + n),
    timestamp: '0',
    key: Buffer.from(`id-${n}`),
    value: Buffer.from(
      poisonAt.includes(n) ? 'poison' : JSON.stringify({ id: `id-${n}`, text: `text ${'x'.repeat(n % 3)}` }),
    ),
    headers: { traceparent: Buffer.from(`tp-${n}`) },
  }));
}

function fakeBatch(items: Envelope[]): PartitionBatch & { marked: string[]; commits: number } {
  const batch = {
    topic: 'in',
    partition: 0,
    envelopes: items,
    marked: [] as string[],
    commits: 0,
    markDone: (offset: string) => batch.marked.push(offset),
    commit: async () => {
      batch.commits += 1;
    },
    heartbeat: async () => undefined,
    isRunning: () => true,
    pause: () => () => undefined,
  };
  return batch;
}

const labels = ['joy', 'anger', 'fear'];
function fakeClassifier(overrides: Partial<Classifier> = {}): Classifier {
  return {
    model: { name: 'fake', version: '1', labels },
    classify: async (texts) =>
      texts.map((text): EmotionResult => {
        const label = labels[text.length % 3];
        return { label, score: 1, scores: { joy: 0, anger: 0, fear: 0, [label]: 1 } };
      }),
    close: async () => undefined,
    ...overrides,
  };
}

interface Harness {
  sent: OutputRecord[][];
  deadLetters: Array<{ offset: string; code: string; attempts: number }>;
  signal: StopController;
}

function processor(
  harness: Harness,
  options: {
    classifier?: Classifier;
    producer?: Partial<OutputProducer>;
    deadLetter?: DeadLetterSink;
    chunkSize?: number;
    backpressure?: Backpressure;
    outputLimit?: OutputSizeLimit;
  } = {},
) {
  const producer: OutputProducer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async (records) => {
      harness.sent.push([...records]);
    },
    ...options.producer,
  };
  const deadLetter: DeadLetterSink = options.deadLetter ?? {
    deadLetter: async (envelope, error, attempts) => {
      harness.deadLetters.push({ offset: envelope.offset, code: error.code, attempts });
    },
  };
  return createPartitionProcessor({
    mode: { kind: 'at-least-once', producer },
    deadLetter,
    signal: harness.signal,
    logger,
    chunkSize: options.chunkSize ?? 4,
    generation: () => 1,
    backpressure: options.backpressure,
    stages: {
      outputTopic: 'out',
      decoder: {
        decode: async (envelope) => {
          const text = envelope.value!.toString();
          if (text === 'poison') throw new PoisonMessageError('NOT_AVRO', 'not avro');
          const { id, text: body } = JSON.parse(text) as { id: string; text: string };
          return {
            id,
            text: body,
            createdAt: 1,
            lang: null,
            userId: null,
            userName: null,
            source: null,
            hashtags: [],
            attributes: {},
          } satisfies Tweet;
        },
      },
      classifier: options.classifier ?? fakeClassifier(),
      encoder: { encode: async (event) => Buffer.from(JSON.stringify(event)) },
      outputHeaders: copyInputHeaders,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      now: () => 42,
      outputLimit: options.outputLimit,
    },
  });
}

const newHarness = (): Harness => ({ sent: [], deadLetters: [], signal: createStopController() });
const keysOf = (sent: OutputRecord[][]) => sent.flat().map((record) => record.key);

test('writes every good message in input order, dead-letters poison, marks each chunk after it is written', async () => {
  const harness = newHarness();
  const batch = fakeBatch(envelopes(10, [3, 7]));
  await processor(harness)(batch);

  expect(keysOf(harness.sent)).toEqual(['id-0', 'id-1', 'id-2', 'id-4', 'id-5', 'id-6', 'id-8', 'id-9']);
  expect(harness.sent).toHaveLength(3); // one producer request per chunk of 4
  expect(harness.deadLetters).toEqual([
    { offset: '103', code: 'NOT_AVRO', attempts: 1 },
    { offset: '107', code: 'NOT_AVRO', attempts: 1 },
  ]);
  expect(batch.marked).toEqual(['103', '107', '109']);
  const first = JSON.parse(harness.sent[0][0].value.toString()) as {
    emotion: { label: string };
    sourceOffset: string;
    processedAt: number;
  };
  expect(first).toMatchObject({
    sourceOffset: '100',
    processedAt: 42,
    emotion: { label: labels['text '.length % 3] },
  });
  expect(harness.sent[0][0].headers).toEqual({ traceparent: Buffer.from('tp-0') });
});

test('sends a chunk only after the previous one is acknowledged (per-key order)', async () => {
  const harness = newHarness();
  const events: string[] = [];
  let releaseFirst: () => void = () => undefined;
  const producer: Partial<OutputProducer> = {
    send: async (records) => {
      events.push(`send ${records[0].key}`);
      if (records[0].key === 'id-0') await new Promise<void>((resolve) => (releaseFirst = resolve));
      events.push(`acked ${records[0].key}`);
    },
  };
  const run = processor(harness, { producer })(fakeBatch(envelopes(8)));
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(events).toEqual(['send id-0']); // chunk 2 is classified but waits
  releaseFirst();
  await run;
  expect(events).toEqual(['send id-0', 'acked id-0', 'send id-4', 'acked id-4']);
});

test('retries a transient inference failure and dead-letters after the last attempt', async () => {
  const harness = newHarness();
  let calls = 0;
  const classifier = fakeClassifier({
    classify: async (texts) => {
      calls += 1;
      // The first text always fails; the second fails once.
      return texts.map((text, index) =>
        text === 'text ' || (index === 1 && calls === 1)
          ? new InferenceFailedError('runtime hiccup')
          : { label: 'joy', score: 1, scores: { joy: 1, anger: 0, fear: 0 } },
      );
    },
  });
  const batch = fakeBatch(envelopes(3));
  await processor(harness, { classifier })(batch);
  expect(harness.deadLetters).toEqual([{ offset: '100', code: 'INFERENCE_FAILED', attempts: 3 }]);
  expect(keysOf(harness.sent)).toEqual(['id-1', 'id-2']);
  expect(batch.marked).toEqual(['102']);
});

test('holds the offset while the dead-letter store is down and marks it once the entry is durable', async () => {
  const harness = newHarness();
  let failures = 2;
  const deadLetter: DeadLetterSink = {
    deadLetter: async (envelope, error, attempts) => {
      if (failures-- > 0) throw new RedisUnavailableError('redis down');
      harness.deadLetters.push({ offset: envelope.offset, code: error.code, attempts });
    },
  };
  const batch = fakeBatch(envelopes(2, [0]));
  await processor(harness, { deadLetter })(batch);
  expect(harness.deadLetters).toEqual([{ offset: '100', code: 'NOT_AVRO', attempts: 1 }]);
  expect(batch.marked).toEqual(['101']);
});

test('a failed produce marks nothing and fails the batch (it is fetched again)', async () => {
  const harness = newHarness();
  const batch = fakeBatch(envelopes(4));
  await expect(
    processor(harness, {
      producer: {
        send: async () => {
          throw new Error('broker gone');
        },
      },
    })(batch),
  ).rejects.toThrow('broker gone');
  expect(batch.marked).toEqual([]);
});

test('on stop, finishes the chunk in flight, then takes no new chunk', async () => {
  const harness = newHarness();
  const batch = fakeBatch(envelopes(12));
  const classifier = fakeClassifier();
  const slow = fakeClassifier({
    classify: async (texts) => {
      harness.signal.stop(10_000);
      return classifier.classify(texts);
    },
  });
  await processor(harness, { classifier: slow })(batch);
  expect(keysOf(harness.sent)).toEqual(['id-0', 'id-1', 'id-2', 'id-3']);
  expect(batch.marked).toEqual(['103']);
});

test('abandons a chunk whose model run outlasts the grace period, marking nothing for it', async () => {
  const harness = newHarness();
  const batch = fakeBatch(envelopes(4));
  const stuck = fakeClassifier({
    classify: () => {
      harness.signal.stop(5);
      return new Promise<never>(() => undefined);
    },
  });
  await processor(harness, { classifier: stuck })(batch);
  expect(harness.sent).toEqual([]);
  expect(batch.marked).toEqual([]);
});

test('pauses the partition while the classifier queue is full and resumes when it drains', async () => {
  const harness = newHarness();
  const events: string[] = [];
  let saturated = true;
  let drain: () => void = () => undefined;
  const backpressure: Backpressure = {
    isSaturated: () => saturated,
    whenDrained: () => new Promise<void>((resolve) => (drain = resolve)),
  };
  const batch = fakeBatch(envelopes(4));
  batch.pause = () => {
    events.push('pause');
    return () => events.push('resume');
  };
  const run = processor(harness, { backpressure })(batch);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(events).toEqual(['pause']);
  expect(harness.sent).toEqual([]);
  saturated = false;
  drain();
  await run;
  expect(events).toEqual(['pause', 'resume']);
  expect(keysOf(harness.sent)).toEqual(['id-0', 'id-1', 'id-2', 'id-3']);
  expect(batch.marked).toEqual(['103']);
});

test('an enriched record over the output limit is dead-lettered as OUTPUT_TOO_LARGE; its neighbours go out', async () => {
  const harness = newHarness();
  const items = envelopes(6);
  // id-4 gets a text so long that its enriched record alone is over the limit.
  items[4] = { ...items[4], value: Buffer.from(JSON.stringify({ id: 'id-4', text: 'y'.repeat(5_000) })) };
  const limit = { maxRequestBytes: 2_000 };
  await processor(harness, { outputLimit: limit, chunkSize: 6 })(fakeBatch(items));

  expect(keysOf(harness.sent)).toEqual(['id-0', 'id-1', 'id-2', 'id-3', 'id-5']);
  for (const record of harness.sent.flat())
    expect(recordBytes(record)).toBeLessThanOrEqual(limit.maxRequestBytes);
  expect(harness.deadLetters).toEqual([{ offset: '104', code: 'OUTPUT_TOO_LARGE', attempts: 1 }]);
});
