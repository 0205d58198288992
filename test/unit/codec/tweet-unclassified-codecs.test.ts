import avro from 'avsc';
import {
  createCodec,
  loadSchema,
  TWEET_EMOTION_SCHEMA_PATH,
  TWEET_UNCLASSIFIED_SCHEMA_PATH,
  tweetUnclassifiedFromRecord,
  tweetUnclassifiedToRecord,
  type Codec,
} from '../../../src/codec';
import { PoisonMessageError, unclassifiedTopicOf, type TweetUnclassified } from '../../../src/core';

const event: TweetUnclassified = {
  id: 'u-1',
  text: 'Hoy por fin terminé el proyecto 🎉',
  createdAt: 1_700_000_000_000,
  lang: null,
  userId: 'user-7',
  hashtags: ['fin'],
  language: 'es',
  languageSource: 'detected',
  languageConfidence: 0.75,
  reason: 'UNSUPPORTED_LANGUAGE',
  modelName: 'emotion-minilm-l3',
  modelVersion: '2026.11.28.2',
  modelLanguages: ['en'],
  processedAt: 1_700_000_000_050,
  sourceTopic: 'tweets',
  sourcePartition: 3,
  sourceOffset: '123456789',
};

const fieldNames = (path: string): string[] =>
  loadSchema(path)
    .json.fields.map((field) => field.name)
    .sort();

describe('schemas/tweet-unclassified.avsc <-> TweetUnclassified', () => {
  it('maps every field to exactly the fields of the schema and back', () => {
    const { type } = loadSchema(TWEET_UNCLASSIFIED_SCHEMA_PATH);
    const record = tweetUnclassifiedToRecord(event);
    expect(Object.keys(record).sort()).toEqual(fieldNames(TWEET_UNCLASSIFIED_SCHEMA_PATH));
    expect(type.isValid(record)).toBe(true);
    expect(tweetUnclassifiedFromRecord(type.fromBuffer(type.toBuffer(record)))).toEqual(event);
  });

  it("carries the tweet's fields as the output schema does (same names and types)", () => {
    const output = loadSchema(TWEET_EMOTION_SCHEMA_PATH).json.fields;
    const unclassified = loadSchema(TWEET_UNCLASSIFIED_SCHEMA_PATH).json.fields;
    for (const name of [
      'id',
      'text',
      'created_at',
      'lang',
      'user_id',
      'hashtags',
      'model_name',
      'model_version',
      'processed_at',
      'source_topic',
      'source_partition',
      'source_offset',
    ]) {
      expect(unclassified.find((field) => field.name === name)?.type).toEqual(
        output.find((field) => field.name === name)?.type,
      );
    }
  });

  it('lets a reader on this schema read a reason added later as OTHER (enum default)', () => {
    const today = loadSchema(TWEET_UNCLASSIFIED_SCHEMA_PATH);
    const later = JSON.parse(JSON.stringify(today.json)) as avro.schema.RecordType;
    const reason = later.fields.find((field) => field.name === 'reason')?.type as avro.schema.EnumType;
    reason.symbols = [...reason.symbols, 'MODEL_DISABLED'];
    const laterType = avro.Type.forSchema(later);
    const bytes = laterType.toBuffer({ ...tweetUnclassifiedToRecord(event), reason: 'MODEL_DISABLED' });
    const read = today.type.fromBuffer(bytes, today.type.createResolver(laterType)) as { reason: string };
    expect(read.reason).toBe('OTHER');
  });
});

describe('raw Avro encoding of unclassified tweets', () => {
  let codec: Codec;
  beforeAll(async () => {
    codec = await createCodec({ inputTopic: 'in', outputTopic: 'out' });
  });

  it.each([
    ['a detected unsupported language', event],
    [
      'an undetermined text without a guess',
      {
        ...event,
        language: null,
        languageSource: 'none',
        languageConfidence: null,
        reason: 'UNDETERMINED_LANGUAGE',
      },
    ],
    [
      "the producer's language",
      { ...event, lang: 'es-MX', languageSource: 'producer', languageConfidence: null },
    ],
  ] as Array<[string, TweetUnclassified]>)('round-trips %s', async (_name, value) => {
    const bytes = await codec.unclassifiedEncoder.encode(value);
    const decoded = await codec.tweetUnclassifiedDecoder.decode(bytes);
    // float: the confidence comes back at single precision
    expect({ ...decoded, languageConfidence: null }).toEqual({ ...value, languageConfidence: null });
    if (value.languageConfidence === null) expect(decoded.languageConfidence).toBeNull();
    else expect(decoded.languageConfidence).toBeCloseTo(value.languageConfidence, 6);
  });

  it('refuses an event the schema rejects, naming the field', async () => {
    const broken = { ...event, reason: 'BECAUSE' as TweetUnclassified['reason'] };
    const error = await codec.unclassifiedEncoder.encode(broken).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PoisonMessageError);
    expect(error).toMatchObject({ code: 'UNENCODABLE_OUTPUT', stage: 'encode' });
    expect((error as Error).message).toContain('reason');
  });

  it('names the default topic beside the output topic', () => {
    expect(unclassifiedTopicOf('tweets.emotions')).toBe('tweets.emotions.unclassified');
  });
});
