import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { createCodec, type Codec } from '../../../src/codec';
import {
  PoisonMessageError,
  POISON_CODES,
  type Classifier,
  type EmotionResult,
  type Envelope,
} from '../../../src/core';
import { originalRecord, toDeadLetterEntry, type DeadLetterEntry } from '../../../src/dlq/dead-letter-entry';
import { DEFAULT_RECORD_LIMITS } from '../../../src/ingest/record-limits';
import { toEnvelope } from '../../../src/ingest/to-envelope';
import { copyInputHeaders, processChunk, type ChunkStages } from '../../../src/pipeline/process-chunk';
import { DEFAULT_RETRY_POLICY } from '../../../src/core';
import { createStopController } from '../../../src/pipeline/stop-signal';
import { ChunkTrace, TRACE_HEADER_NAMES } from '../../../src/telemetry';
import { avroBombSamples } from '../../support/avro-bombs';
import { fuzzOptions } from '../../support/fuzz-runs';
import { kafkajsMessage, type WireHeader, type WireRecord } from '../../support/kafkajs-record';
import { rawPoisonSamples, rawTweet } from '../../support/poison-samples';

// The hostile-input suite, record part: records built on the wire and decoded by kafkajs' own decoder
// (so prototype-named headers arrive exactly as a consumer sees them), then ingest → decode → classify →
// encode with the real codec and tracing. Whatever the key, headers, value or timestamp, every record
// ends up once — as an output record with its headers, or as a classified dead letter whose entry keeps
// the original bytes — and nothing throws out of the chunk. The classifier is a stand-in (the model is
// not what is under test here; the integration scenario runs the real one).

const labels = ['joy', 'anger', 'fear'];
const classifier: Classifier = {
  model: { name: 'stand-in', version: '1', labels },
  classify: async (texts) =>
    texts.map((text): EmotionResult => {
      const label = labels[text.length % 3];
      return { label, score: 1, scores: { joy: 0, anger: 0, fear: 0, [label]: 1 } };
    }),
  close: async () => undefined,
};

const prototypeNames = Object.getOwnPropertyNames(Object.prototype);
const giant = (bytes: number) => Buffer.alloc(bytes, 0x41);
const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((raw) => Buffer.from(raw).toString('hex'));

const headerName = fc.oneof(
  fc.constantFrom(...prototypeNames),
  fc.constantFrom(...TRACE_HEADER_NAMES, 'baggage'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const headerValue = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 2,
    arbitrary: fc.tuple(hex(16), hex(8)).map(([trace, span]) => Buffer.from(`00-${trace}-${span}-01`)),
  },
  { weight: 1, arbitrary: fc.constant(giant(DEFAULT_RECORD_LIMITS.maxHeaderBytes + 1)) },
);
const header: fc.Arbitrary<WireHeader> = fc.record({ name: headerName, value: headerValue });
const headers = fc.oneof(
  { weight: 5, arbitrary: fc.array(header, { maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.constant(
      Array.from({ length: DEFAULT_RECORD_LIMITS.maxHeaders + 1 }, (_, i) => ({
        name: prototypeNames[i % prototypeNames.length],
        value: Buffer.from([i % 256]),
      })),
    ),
  },
);
const key = fc.oneof(
  fc.constant(null),
  fc.constant(Buffer.alloc(0)),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(giant(DEFAULT_RECORD_LIMITS.maxKeyBytes + 1)),
);
const value = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .string({ minLength: 1, maxLength: 30 })
      .map((text) => rawTweet({ id: 'f', text: `t${text}` })),
  },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...avroBombSamples(), ...rawPoisonSamples()).map((sample) => sample.value),
  },
);
const record: fc.Arbitrary<WireRecord> = fc.record({
  key,
  value,
  headers,
  firstTimestamp: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  timestampDelta: fc.integer({ min: -1e9, max: 1e9 }),
});

/** What the limits say about a record before it is decoded, in the order they are checked. */
function limitCode(envelope: Envelope): string | undefined {
  if (envelope.key !== null && envelope.key.length > DEFAULT_RECORD_LIMITS.maxKeyBytes)
    return 'KEY_TOO_LARGE';
  const values = Object.entries(envelope.headers).flatMap(([name, item]) =>
    (Array.isArray(item) ? item : item === undefined ? [] : [item]).map((bytes) => ({ name, bytes })),
  );
  for (const [index, { name, bytes }] of values.entries()) {
    if (index >= DEFAULT_RECORD_LIMITS.maxHeaders) return 'TOO_MANY_HEADERS';
    if (Buffer.byteLength(name) + bytes.length > DEFAULT_RECORD_LIMITS.maxHeaderBytes)
      return 'HEADER_TOO_LARGE';
  }
  return undefined;
}

// Bytes compared as base64 text: jest compares Buffers index by index, far too slow for 64 KiB values.
const text = (bytes: Buffer | string | null) =>
  Buffer.isBuffer(bytes) ? `b64:${bytes.toString('base64')}` : bytes;
const headerText = (headers: Record<string, unknown>) =>
  Object.entries(headers).map(([name, item]) => [
    name,
    Array.isArray(item) ? item.map((part) => text(part as Buffer)) : text(item as Buffer),
  ]);

const withoutTrace = (headers: Record<string, unknown> | undefined) =>
  Object.fromEntries(
    Object.entries(headers ?? {}).filter(
      ([name]) => !(TRACE_HEADER_NAMES as readonly string[]).includes(name),
    ),
  );

describe('hostile input: records through ingest and the chunk pipeline', () => {
  let codec: Codec;
  let stages: ChunkStages;
  const tracer = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
  }).getTracer('hostile');
  beforeAll(async () => {
    codec = await createCodec({ inputTopic: 'in', outputTopic: 'out' });
    stages = {
      outputTopic: 'out',
      decoder: codec.decoder,
      classifier,
      encoder: codec.encoder,
      outputHeaders: copyInputHeaders,
      retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 0, maxDelayMs: 0 },
      now: () => 1_700_000_000_000,
    };
  });

  it('every record becomes an output record or a classified dead letter with its original bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 6 }), async (records) => {
        const envelopes = records.map((wire, index) => ({
          ...toEnvelope('in', 0, kafkajsMessage(wire)),
          offset: String(index),
        }));
        const trace = ChunkTrace.start(tracer, envelopes);
        const outcome = await processChunk(envelopes, stages, createStopController(), { trace });
        trace.end();
        expect(outcome.records.length + outcome.deadLetters.length).toBe(envelopes.length);

        const deadLettered = new Set(outcome.deadLetters.map((item) => item.envelope));
        for (const item of outcome.deadLetters) {
          expect(item.error).toBeInstanceOf(PoisonMessageError);
          expect(POISON_CODES).toContain(item.error.code);
          const expected = limitCode(item.envelope);
          if (expected !== undefined) expect(item.error.code).toBe(expected);
          // The entry as Redis stores it (JSON) gives back the exact record.
          const entry = JSON.parse(
            JSON.stringify(toDeadLetterEntry(item.envelope, item.error, 1, undefined, 0)),
          ) as DeadLetterEntry;
          expect(entry.code).toBe(item.error.code);
          const original = originalRecord(entry);
          expect(text(original.key)).toBe(text(item.envelope.key));
          expect(text(original.value)).toBe(text(item.envelope.value));
          expect(headerText(original.headers)).toEqual(headerText(item.envelope.headers));
        }
        const produced = envelopes.filter((envelope) => !deadLettered.has(envelope));
        produced.forEach((envelope, index) => {
          expect(limitCode(envelope)).toBeUndefined();
          expect(headerText(withoutTrace(outcome.records[index].headers))).toEqual(
            headerText(withoutTrace(envelope.headers)),
          );
        });
      }),
      fuzzOptions(150),
    );
  });
});
