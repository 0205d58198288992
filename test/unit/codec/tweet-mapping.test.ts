import type { Tweet, TweetEmotion } from '../../../src/core';
import {
  loadSchema,
  TWEET_EMOTION_SCHEMA_PATH,
  TWEET_SCHEMA_PATH,
  tweetEmotionFromRecord,
  tweetEmotionToRecord,
  tweetFromRecord,
  tweetToRecord,
} from '../../../src/codec';

// Typed samples: adding a field to the TS view without the schema (or the other way round) fails here,
// either at compile time (the sample must satisfy the interface) or in the field-set comparison.
const tweet: Tweet = {
  id: 't-1',
  text: 'i feel wonderful today 🎉',
  createdAt: 1_700_000_000_123,
  lang: 'en',
  userId: 'u-7',
  userName: 'Ada',
  source: 'web',
  hashtags: ['mood', 'friday'],
  attributes: { campaign: 'demo' },
};

const event: TweetEmotion = {
  id: 't-1',
  text: 'i feel wonderful today 🎉',
  createdAt: 1_700_000_000_123,
  lang: null,
  userId: 'u-7',
  hashtags: ['mood'],
  emotion: { label: 'joy', score: 0.875, scores: { joy: 0.875, sadness: 0.125 } },
  modelName: 'emotion-minilm-l6',
  modelVersion: '1.0.0',
  processedAt: 1_700_000_000_456,
  sourceTopic: 'tweets',
  sourcePartition: 3,
  sourceOffset: '9007199254740',
};

const fieldNames = (path: string): string[] =>
  loadSchema(path)
    .json.fields.map((field) => field.name)
    .sort();

describe('snake_case Avro records <-> camelCase TS views', () => {
  it('maps every Tweet field to exactly the fields of schemas/tweet.avsc and back', () => {
    const { type } = loadSchema(TWEET_SCHEMA_PATH);
    const record = tweetToRecord(tweet);
    expect(Object.keys(record).sort()).toEqual(fieldNames(TWEET_SCHEMA_PATH));
    expect(type.isValid(record)).toBe(true);
    expect(tweetFromRecord(type.fromBuffer(type.toBuffer(record)))).toEqual(tweet);
  });

  it('maps every TweetEmotion field to exactly the fields of schemas/tweet-emotion.avsc and back', () => {
    const { type } = loadSchema(TWEET_EMOTION_SCHEMA_PATH);
    const record = tweetEmotionToRecord(event);
    expect(Object.keys(record).sort()).toEqual(fieldNames(TWEET_EMOTION_SCHEMA_PATH));
    expect(Object.keys(record.emotion).sort()).toEqual(['label', 'score', 'scores']);
    expect(type.isValid(record)).toBe(true);
    expect(tweetEmotionFromRecord(type.fromBuffer(type.toBuffer(record)))).toEqual(event);
  });

  it('keeps the required input fields required and defaults every other one', () => {
    const { json } = loadSchema(TWEET_SCHEMA_PATH);
    const withoutDefault = json.fields.filter((field) => !('default' in field)).map((field) => field.name);
    expect(withoutDefault.sort()).toEqual(['created_at', 'id', 'text']);
  });
});
