import avro from 'avsc';
import { createCodec, type Codec } from '../../../src/codec';
import { PoisonMessageError, type TweetEmotion } from '../../../src/core';
import { Utf8Checker } from '../../../src/codec/utf8-check';
import { parseFrame, frameAvro } from '../../../src/codec/confluent-frame';

const event: TweetEmotion = {
  id: 't-9',
  text: 'what a day',
  createdAt: 1,
  lang: 'en',
  userId: null,
  hashtags: [],
  emotion: { label: 'joy', score: 0.5, scores: { joy: 0.5, anger: 0.5 } },
  modelName: 'm',
  modelVersion: '1',
  processedAt: 2,
  sourceTopic: 'tweets',
  sourcePartition: 0,
  sourceOffset: '12',
};

describe('raw Avro encoding of enriched events', () => {
  let codec: Codec;
  beforeAll(async () => {
    codec = await createCodec({ inputTopic: 'in', outputTopic: 'out' });
  });

  it('round-trips through the output decoder', async () => {
    expect(codec.wireFormat).toBe('raw');
    expect(await codec.tweetEmotionDecoder.decode(await codec.encoder.encode(event))).toEqual(event);
  });

  it('refuses an event the output schema rejects, naming the field', async () => {
    const broken = { ...event, emotion: { ...event.emotion, label: undefined as unknown as string } };
    const error = await codec.encoder.encode(broken).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PoisonMessageError);
    expect(error).toMatchObject({ code: 'UNENCODABLE_OUTPUT', stage: 'encode', retriable: false });
    expect((error as Error).message).toContain('emotion.label');
  });
});

describe('Confluent frame', () => {
  it('puts magic byte 0 and the big-endian schema id before the payload', () => {
    const framed = frameAvro(258, Buffer.from([7, 8]));
    expect([...framed]).toEqual([0, 0, 0, 1, 2, 7, 8]);
    expect(parseFrame(framed)).toEqual({ schemaId: 258, payload: Buffer.from([7, 8]) });
  });

  it.each([
    ['a short value', Buffer.from([0, 0, 1])],
    ['a wrong magic byte', Buffer.from([1, 0, 0, 0, 1, 2])],
  ])('rejects %s as NOT_AVRO', (_name, value) => {
    expect(() => parseFrame(value)).toThrow(expect.objectContaining({ code: 'NOT_AVRO' }));
  });
});

describe('strict UTF-8 check', () => {
  it('finds invalid UTF-8 in arrays, map values and nested records', () => {
    // The same record with `string` or `bytes` leaves: both share one binary encoding.
    const schemaOf = (leaf: 'string' | 'bytes') =>
      avro.Type.forSchema({
        type: 'record',
        name: 'R',
        fields: [
          { name: 'tags', type: { type: 'array', items: leaf } },
          { name: 'attrs', type: { type: 'map', values: leaf } },
          {
            name: 'inner',
            type: ['null', { type: 'record', name: 'I', fields: [{ name: 's', type: leaf }] }],
          },
        ],
      });
    const checker = new Utf8Checker(schemaOf('string'));
    // Written through the bytes twin so that invalid sequences reach the payload.
    const twin = schemaOf('bytes');
    const encode = (value: object): Buffer => twin.toBuffer(value);
    const ok = Buffer.from('ok');
    const invalid = Buffer.from([0x6f, 0xc3]); // 'o' + a lead byte with no continuation
    expect(
      checker.firstInvalidField(encode({ tags: [ok], attrs: { k: ok }, inner: { s: ok } })),
    ).toBeUndefined();
    expect(checker.firstInvalidField(encode({ tags: [ok, invalid], attrs: {}, inner: null }))).toBe(
      'tags[1]',
    );
    expect(checker.firstInvalidField(encode({ tags: [], attrs: { k: invalid }, inner: null }))).toBe(
      'attrs[0].value',
    );
    expect(checker.firstInvalidField(encode({ tags: [], attrs: {}, inner: { s: invalid } }))).toBe('inner.s');
  });
});
