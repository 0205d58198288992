import avro from 'avsc';
import { loadSchema, TWEET_SCHEMA_PATH, tweetToRecord } from '../../src/codec';
import type { PoisonCode, Tweet } from '../../src/core';

// Poison record values for the default raw-Avro wire format, each with the code the decoder gives it.
// Shared by the codec's unit tests (which prove each code) and the reliability suite (which mixes them
// into a stream). Values depend only on the schema files, never on a running service.

export interface PoisonSample {
  /** What is wrong, in words (for test names and tables). */
  kind: string;
  code: PoisonCode;
  value: Buffer | null;
}

const tweetType = loadSchema(TWEET_SCHEMA_PATH).type;

export function sampleTweet(overrides: Partial<Tweet> = {}): Tweet {
  return {
    id: 'id-1',
    text: 'i am so happy',
    createdAt: 1_700_000_000_000,
    lang: null,
    userId: null,
    userName: null,
    source: null,
    hashtags: [],
    attributes: {},
    ...overrides,
  };
}

/** Raw Avro of a valid tweet (schemas/tweet.avsc). */
export const rawTweet = (overrides: Partial<Tweet> = {}): Buffer =>
  tweetType.toBuffer(tweetToRecord(sampleTweet(overrides)));

/** Raw Avro of a tweet whose text is `textBytes` verbatim (which may not be UTF-8). */
export function rawTweetWithTextBytes(id: string, textBytes: Buffer): Buffer {
  // A string and bytes share one binary encoding, so a twin schema with `text: bytes` writes any bytes.
  const twin = avro.Type.forSchema({
    type: 'record',
    name: 'TweetWithTextBytes',
    fields: [
      { name: 'id', type: 'string' },
      { name: 'text', type: 'bytes' },
      { name: 'created_at', type: 'long' },
      { name: 'nulls', type: { type: 'fixed', name: 'FourNullUnionsAndEmptyArrayAndMap', size: 6 } },
    ],
  });
  return twin.toBuffer({ id, text: textBytes, created_at: 1_700_000_000_000, nulls: Buffer.alloc(6) });
}

const otherRecordType = avro.Type.forSchema({
  type: 'record',
  name: 'NotATweet',
  fields: [
    { name: 'count', type: 'int' },
    { name: 'flag', type: 'boolean' },
  ],
});

/**
 * One sample per kind of poison the raw decoder recognises (15 kinds), for a decoder with the
 * default 64 KiB text limit. `id` keeps the samples' ids distinct where the record has one.
 */
export function rawPoisonSamples(id = 'poison'): PoisonSample[] {
  const valid = rawTweet({ id: `${id}-base` });
  return [
    { kind: 'null value (tombstone)', code: 'NULL_VALUE', value: null },
    { kind: 'empty value', code: 'NULL_VALUE', value: Buffer.alloc(0) },
    {
      kind: 'JSON instead of Avro',
      code: 'NOT_AVRO',
      value: Buffer.from(JSON.stringify({ id: `${id}-json`, text: 'hello' })),
    },
    {
      kind: 'plain text instead of Avro',
      code: 'NOT_AVRO',
      value: Buffer.from('just some words, not a record'),
    },
    // The byte after created_at is lang's union index; 0x09 (zigzag -5) names no branch.
    {
      kind: 'invalid union index',
      code: 'NOT_AVRO',
      value: Buffer.concat([valid.subarray(0, valid.length - 6), Buffer.from([0x09, 0, 0, 0, 0, 0])]),
    },
    { kind: 'truncated Avro', code: 'TRUNCATED_AVRO', value: valid.subarray(0, valid.length - 3) },
    { kind: 'trailing bytes', code: 'TRAILING_BYTES', value: Buffer.concat([valid, Buffer.from([1, 2, 3])]) },
    {
      kind: 'Confluent frame while in raw mode',
      code: 'WRONG_SCHEMA',
      value: Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), rawTweet({ id: `${id}-framed` })]),
    },
    { kind: 'empty text', code: 'EMPTY_TEXT', value: rawTweet({ id: `${id}-empty`, text: '' }) },
    {
      kind: 'whitespace-only text',
      code: 'EMPTY_TEXT',
      value: rawTweet({ id: `${id}-blank`, text: ' \t\n\u3000 ' }),
    },
    {
      kind: 'text over 64 KiB',
      code: 'TEXT_TOO_LONG',
      value: rawTweet({ id: `${id}-long`, text: 'a'.repeat(64 * 1024 + 1) }),
    },
    {
      kind: 'invalid UTF-8 in text',
      code: 'INVALID_UTF8',
      value: rawTweetWithTextBytes(`${id}-utf8`, Buffer.from([0x68, 0x69, 0xff, 0xfe])),
    },
    { kind: 'empty id', code: 'EMPTY_ID', value: rawTweet({ id: '' }) },
    // Avro has no type tags: another record's bytes read as a tweet; here `count: -7` reads as the id's
    // length, and a negative length is not Avro.
    {
      kind: 'another record type',
      code: 'NOT_AVRO',
      value: otherRecordType.toBuffer({ count: -7, flag: true }),
    },
    // The first byte, 31, reads as the id's length -16.
    {
      kind: 'random bytes',
      code: 'NOT_AVRO',
      value: Buffer.from(Array.from({ length: 40 }, (_, i) => (i * 73 + 31) % 256)),
    },
  ];
}
