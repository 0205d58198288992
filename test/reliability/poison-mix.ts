import avro from 'avsc';
import { loadSchema, TWEET_SCHEMA_PATH, tweetToRecord } from '../../src/codec';
import type { Tweet } from '../../src/core';

// Poison values for the default raw-Avro wire format, one maker per kind. The suite mixes them into a
// stream of valid tweets; it checks that each lands in the DLQ with a reason, not which code the
// decoder picks for a given kind (the codec's own tests pin those).

const tweetType = loadSchema(TWEET_SCHEMA_PATH).type;

export function tweet(id: string, text: string, n = 0): Tweet {
  return {
    id,
    text,
    createdAt: 1_700_000_000_000 + n,
    lang: 'en',
    userId: `user-${n % 17}`,
    userName: null,
    source: 'reliability',
    hashtags: [],
    attributes: {},
  };
}

export const encodeTweet = (value: Tweet): Buffer => tweetType.toBuffer(tweetToRecord(value));

/** A valid record whose `text` bytes are then overwritten with bytes that are not UTF-8. */
function invalidUtf8Text(id: string): Buffer {
  const marker = 'QQQQ';
  const bytes = encodeTweet(tweet(id, marker));
  const at = bytes.indexOf(marker);
  Buffer.from([0xc3, 0x28, 0xff, 0xfe]).copy(bytes, at);
  return bytes;
}

const otherRecordType = avro.Type.forSchema({
  type: 'record',
  name: 'NotATweet',
  fields: [
    { name: 'count', type: 'int' },
    { name: 'flag', type: 'boolean' },
  ],
});

export interface PoisonKind {
  kind: string;
  value: (id: string) => Buffer | null;
}

export const POISON_KINDS: readonly PoisonKind[] = [
  { kind: 'null value (tombstone)', value: () => null },
  { kind: 'empty value', value: () => Buffer.alloc(0) },
  { kind: 'JSON instead of Avro', value: (id) => Buffer.from(JSON.stringify({ id, text: 'i am json' })) },
  { kind: 'plain text', value: () => Buffer.from('this is not avro at all, just words\n') },
  {
    kind: 'truncated Avro',
    value: (id) => encodeTweet(tweet(id, 'cut short in the middle')).subarray(0, 12),
  },
  {
    kind: 'trailing bytes',
    value: (id) => Buffer.concat([encodeTweet(tweet(id, 'extra after')), Buffer.from([1, 2, 3])]),
  },
  { kind: 'another record type', value: () => otherRecordType.toBuffer({ count: -7, flag: true }) },
  {
    kind: 'Confluent frame in raw mode',
    value: (id) => Buffer.concat([Buffer.from([0, 0, 0, 0, 42]), encodeTweet(tweet(id, 'framed'))]),
  },
  { kind: 'empty text', value: (id) => encodeTweet(tweet(id, '')) },
  { kind: 'whitespace-only text', value: (id) => encodeTweet(tweet(id, ' \t\n  ')) },
  { kind: 'text over 64 KiB', value: (id) => encodeTweet(tweet(id, 'x'.repeat(70_000))) },
  { kind: 'invalid UTF-8 text', value: invalidUtf8Text },
  { kind: 'empty id', value: () => encodeTweet(tweet('', 'no id here')) },
  {
    kind: 'random bytes',
    value: (id) => Buffer.from(Array.from({ length: 40 }, (_, i) => (i * 73 + id.length * 31) % 256)),
  },
];
