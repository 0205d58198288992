import type { IHeaders, Kafka, Message } from 'kafkajs';
import { DEFAULT_RECORD_LIMITS } from '../../../src/ingest/record-limits';
import { avroBombSamples } from '../../support/avro-bombs';
import { rawPoisonSamples } from '../../support/poison-samples';
import { rawCodec, sampleTweets } from './worker-harness';

// The records of the hostile-input scenario (hostile-records.test.ts): every hostile kind, each between
// two valid tweets, and what must become of each.

export interface HostileCase {
  kind: string;
  message: Message;
  /** The output event's id, or the DLQ code. */
  expect: { output: string } | { dlq: string };
}

const giant = (bytes: number, fill = 0x41) => Buffer.alloc(bytes, fill);
// Own properties, so kafkajs writes a header literally named `__proto__`.
const headersOf = (entries: Array<[string, string | string[]]>): IHeaders => Object.fromEntries(entries);
export const prototypeHeaders = headersOf(
  Object.getOwnPropertyNames(Object.prototype).map((name, i) => [name, i % 2 ? `v${i}` : [`a${i}`, `b${i}`]]),
);

export async function hostileCases(topic: string): Promise<{ warmUp: HostileCase[]; cases: HostileCase[] }> {
  const codec = await rawCodec({ input: topic, output: `${topic}-unused`, group: '', dlq: '' });
  const tweets = sampleTweets(100, topic);
  const encode = (index: number) => codec.tweetEncoder.encode(tweets[index]);
  let next = 0;
  /** A valid tweet that must come out, optionally with odd parts that are still within the limits. */
  const valid = async (kind: string, extra: Partial<Message> = {}): Promise<HostileCase> => {
    const index = next++;
    return {
      kind,
      message: { key: tweets[index].id, value: await encode(index), ...extra },
      expect: { output: tweets[index].id },
    };
  };
  const poison = async (kind: string, code: string, extra: Partial<Message>): Promise<HostileCase> => ({
    kind,
    message: { key: `${kind}-key`, value: await encode(next++), ...extra },
    expect: { dlq: code },
  });

  const hostile: HostileCase[] = [
    await valid('Object.prototype header names', { headers: prototypeHeaders }),
    await poison('Object.prototype header names on a poison value', 'NOT_AVRO', {
      value: Buffer.from('{"not":"avro"}'),
      headers: prototypeHeaders,
    }),
    await valid('null key', { key: null }),
    await valid('empty key', { key: Buffer.alloc(0) }),
    await valid('key at the limit', { key: giant(DEFAULT_RECORD_LIMITS.maxKeyBytes) }),
    await poison('giant key', 'KEY_TOO_LARGE', { key: giant(DEFAULT_RECORD_LIMITS.maxKeyBytes + 1) }),
    await poison('too many headers', 'TOO_MANY_HEADERS', {
      headers: headersOf(
        Array.from({ length: DEFAULT_RECORD_LIMITS.maxHeaders + 1 }, (_, i) => [`h${i}`, 'x']),
      ),
    }),
    // kafkajs alone decodes headers in quadratic time: 2 000 names would freeze it for about 1.4 s.
    await poison('2 000 distinct headers', 'TOO_MANY_HEADERS', {
      headers: headersOf(Array.from({ length: 2_000 }, (_, i) => [`n${i}`, ''])),
    }),
    await poison('huge header', 'HEADER_TOO_LARGE', {
      headers: { big: giant(DEFAULT_RECORD_LIMITS.maxHeaderBytes) },
    }),
    await poison('huge repeated header', 'HEADER_TOO_LARGE', {
      headers: { rep: [Buffer.from('small'), giant(DEFAULT_RECORD_LIMITS.maxHeaderBytes)] },
    }),
    await valid('timestamp 0', { timestamp: '0' }),
    await valid('timestamp 1 (1970)', { timestamp: '1' }),
    // The topic accepts any CreateTime (see createHostileTopic); the broker's default refuses the future.
    await valid('timestamp near 2^63', { timestamp: '9223372036854775000' }),
    await valid('timestamp 100 years ahead', { timestamp: String(Date.now() + 100 * 365 * 86_400_000) }),
    await valid('malformed traceparent', {
      headers: { traceparent: '00-zz-\u0000-ff', tracestate: ','.repeat(500) },
    }),
    await poison('random bytes', 'NOT_AVRO', {
      value: Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 151 + 7) % 256)),
    }),
    ...avroBombSamples(`${topic}-bomb`).map((sample): HostileCase => ({
      kind: sample.kind,
      message: { key: `${sample.kind}-key`, value: sample.value },
      expect: { dlq: sample.code },
    })),
    ...rawPoisonSamples(`${topic}-poison`).map((sample): HostileCase => ({
      kind: sample.kind,
      message: { key: `${sample.kind}-key`, value: sample.value },
      expect: { dlq: sample.code },
    })),
  ];
  // One valid and one poison record first: the first dead letter and the first model run warm up
  // code paths once per process (BullMQ, the ONNX session), whatever the records are.
  const warmUp: HostileCase[] = [
    await valid('warm-up valid'),
    await poison('warm-up poison', 'NOT_AVRO', { value: Buffer.from('plain text') }),
  ];
  // Each hostile record between two valid ones.
  const cases: HostileCase[] = [await valid('first valid')];
  for (const item of hostile) cases.push(item, await valid(`valid after ${item.kind}`));
  return { warmUp, cases };
}

/** One partition (so the order is the production order) that keeps any producer timestamp. */
export async function createHostileTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: [{ name: 'message.timestamp.after.max.ms', value: '9223372036854775807' }],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}
