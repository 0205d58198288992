import avro from 'avsc';
import path from 'node:path';
import { createCodec, loadSchema, TWEET_SCHEMA_PATH, tweetToRecord, type Codec } from '../../../src/codec';
import { PoisonMessageError, type Envelope, type Tweet } from '../../../src/core';

const fixture = (name: string): string => path.join(__dirname, '..', '..', 'fixtures', 'schemas', name);
const envelopeOf = (value: Buffer | null): Envelope => ({
  topic: 't',
  partition: 0,
  offset: '0',
  timestamp: '0',
  key: null,
  value,
  headers: {},
});

const tweet = (overrides: Partial<Tweet> = {}): Tweet => ({
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
});

const tweetType = loadSchema(TWEET_SCHEMA_PATH).type;
const rawTweet = (overrides: Partial<Tweet> = {}): Buffer =>
  tweetType.toBuffer(tweetToRecord(tweet(overrides)));

async function poisonCode(codec: Codec, value: Buffer | null): Promise<string> {
  const error = await codec.decoder.decode(envelopeOf(value)).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof PoisonMessageError))
    throw new Error(`expected a PoisonMessageError, got ${String(error)}`);
  expect(error.retriable).toBe(false);
  return error.code;
}

// The sample tweet's Avro after its text: created_at, then six single-byte fields (null unions, empty
// array and map) whose first byte is lang's union index.
const afterText = rawTweet().subarray(1 + 'id-1'.length + 1 + 'i am so happy'.length);

/** Avro of a tweet whose text bytes are replaced by `textBytes` (which may not be UTF-8). */
function withTextBytes(textBytes: Buffer): Buffer {
  const twin = avro.Type.forSchema({
    type: 'record',
    name: 'T',
    fields: [
      { name: 'id', type: 'string' },
      { name: 'text', type: 'bytes' },
      { name: 'rest', type: { type: 'fixed', name: 'Rest', size: afterText.length } },
    ],
  });
  return twin.toBuffer({ id: 'id-1', text: textBytes, rest: afterText });
}

describe('raw Avro decoding', () => {
  let codec: Codec;
  beforeAll(async () => {
    codec = await createCodec({ inputTopic: 'in', outputTopic: 'out', maxTextBytes: 100 });
  });

  it('round-trips a tweet', async () => {
    const sample = tweet({ lang: 'en', hashtags: ['a'], attributes: { k: 'v' }, userName: 'Zoë' });
    expect(await codec.decoder.decode(envelopeOf(await codec.tweetEncoder.encode(sample)))).toEqual(sample);
  });

  it('accepts a legitimate U+FFFD in the text', async () => {
    expect((await codec.decoder.decode(envelopeOf(rawTweet({ text: 'odd \uFFFD char' })))).text).toBe(
      'odd \uFFFD char',
    );
  });

  it.each([
    ['a null value (tombstone)', null, 'NULL_VALUE'],
    ['an empty value', Buffer.alloc(0), 'NULL_VALUE'],
    ['JSON', Buffer.from('{"id":"1","text":"hello"}'), 'NOT_AVRO'],
    ['plain text', Buffer.from('hello world, how are you'), 'NOT_AVRO'],
    [
      'an invalid union index',
      Buffer.concat([rawTweet().subarray(0, rawTweet().length - 6), Buffer.from([0x09, 0, 0, 0, 0, 0])]),
      'NOT_AVRO',
    ],
    ['a truncated record', rawTweet().subarray(0, rawTweet().length - 3), 'TRUNCATED_AVRO'],
    ['trailing bytes', Buffer.concat([rawTweet(), Buffer.from([1, 2, 3])]), 'TRAILING_BYTES'],
    ['a Confluent-framed record', Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), rawTweet()]), 'WRONG_SCHEMA'],
    ['empty text', rawTweet({ text: '' }), 'EMPTY_TEXT'],
    ['whitespace-only text', rawTweet({ text: ' \t\n\u3000 ' }), 'EMPTY_TEXT'],
    ['text over the limit', rawTweet({ text: 'é'.repeat(51) }), 'TEXT_TOO_LONG'],
    ['an empty id', rawTweet({ id: '' }), 'EMPTY_ID'],
    ['invalid UTF-8 in the text', withTextBytes(Buffer.from([0x68, 0x69, 0xff, 0xfe])), 'INVALID_UTF8'],
    [
      'a lone surrogate encoded as CESU bytes',
      withTextBytes(Buffer.from([0xed, 0xa0, 0x80])),
      'INVALID_UTF8',
    ],
  ])('rejects %s as poison', async (_name, value, code) => {
    expect(await poisonCode(codec, value)).toBe(code);
  });

  it('counts the text limit in UTF-8 bytes, not characters', async () => {
    expect((await codec.decoder.decode(envelopeOf(rawTweet({ text: 'é'.repeat(50) })))).text).toHaveLength(
      50,
    );
  });
});

describe('raw Avro schema evolution (INPUT_WRITER_SCHEMA)', () => {
  it('reads an older producer, filling the defaults', async () => {
    const older = await createCodec({
      inputTopic: 'in',
      outputTopic: 'out',
      inputWriterSchemaPath: fixture('tweet-v0-older.avsc'),
    });
    const value = loadSchema(fixture('tweet-v0-older.avsc')).type.toBuffer({
      id: 'o-1',
      text: 'so sad',
      created_at: 5,
      lang: 'en',
    });
    expect(await older.decoder.decode(envelopeOf(value))).toEqual(
      tweet({ id: 'o-1', text: 'so sad', createdAt: 5, lang: 'en' }),
    );
  });

  it('reads a newer producer, dropping the fields it does not know', async () => {
    const newer = await createCodec({
      inputTopic: 'in',
      outputTopic: 'out',
      inputWriterSchemaPath: fixture('tweet-v2-newer.avsc'),
    });
    const value = loadSchema(fixture('tweet-v2-newer.avsc')).type.toBuffer({
      ...tweetToRecord(tweet({ id: 'n-1', hashtags: ['x'] })),
      retweet_count: 42,
      reply_to: 'n-0',
      place: { country: 'FR', city: 'Lyon' },
    });
    expect(await newer.decoder.decode(envelopeOf(value))).toEqual(tweet({ id: 'n-1', hashtags: ['x'] }));
  });

  it('reports MISSING_TEXT per record when the writer made text optional', async () => {
    const nullable = await createCodec({
      inputTopic: 'in',
      outputTopic: 'out',
      inputWriterSchemaPath: fixture('tweet-nullable-text.avsc'),
    });
    const type = loadSchema(fixture('tweet-nullable-text.avsc')).type;
    expect(await poisonCode(nullable, type.toBuffer({ id: 'a', text: null, created_at: 1 }))).toBe(
      'MISSING_TEXT',
    );
    expect(
      (await nullable.decoder.decode(envelopeOf(type.toBuffer({ id: 'b', text: 'hi', created_at: 1 })))).text,
    ).toBe('hi');
  });

  it('reports MISSING_TEXT when the writer has no text field', async () => {
    const noText = await createCodec({
      inputTopic: 'in',
      outputTopic: 'out',
      inputWriterSchemaPath: fixture('tweet-no-text.avsc'),
    });
    const value = loadSchema(fixture('tweet-no-text.avsc')).type.toBuffer({ id: 'a', created_at: 1 });
    expect(await poisonCode(noText, value)).toBe('MISSING_TEXT');
  });

  it('refuses at start a writer schema that cannot be read as a tweet', async () => {
    await expect(
      createCodec({
        inputTopic: 'in',
        outputTopic: 'out',
        inputWriterSchemaPath: fixture('click-event.avsc'),
      }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});
