import path from 'node:path';
import { createCodec, loadSchema, tweetToRecord, type Codec } from '../../../src/codec';
import { rawPoisonSamples, rawTweet, rawTweetWithTextBytes, sampleTweet } from '../../support/poison-samples';
import { PoisonMessageError } from '../../../src/core';
import { envelopeOf } from '../../support/envelope';

const fixture = (name: string): string => path.join(__dirname, '..', '..', 'fixtures', 'schemas', name);

const tweet = sampleTweet;
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

describe('raw Avro decoding', () => {
  let codec: Codec;
  let defaults: Codec;
  beforeAll(async () => {
    codec = await createCodec({ inputTopic: 'in', outputTopic: 'out', maxTextBytes: 100 });
    defaults = await createCodec({ inputTopic: 'in', outputTopic: 'out' });
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

  it.each(rawPoisonSamples().map((sample) => [sample.kind, sample]))(
    'rejects %s as poison',
    async (_kind, sample) => {
      expect(await poisonCode(defaults, sample.value)).toBe(sample.code);
    },
  );

  it.each([
    ['text over a configured limit', rawTweet({ text: 'é'.repeat(51) }), 'TEXT_TOO_LONG'],
    [
      'a lone surrogate encoded as CESU-8 bytes',
      rawTweetWithTextBytes('s', Buffer.from([0xed, 0xa0, 0x80])),
      'INVALID_UTF8',
    ],
    ['an overlong encoding', rawTweetWithTextBytes('o', Buffer.from([0xc0, 0xaf])), 'INVALID_UTF8'],
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
