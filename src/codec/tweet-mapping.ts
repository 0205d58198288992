import type { ProcessedTweet, Tweet, TweetEmotion } from '../core';

// The one place where the snake_case Avro records meet the camelCase TypeScript views (src/core/tweet.ts).
// test/unit/codec/tweet-mapping.test.ts round-trips a sample of every field through both schemas.

/** schemas/tweet.avsc as avsc reads and writes it. */
export interface TweetRecord {
  id: string;
  text: string;
  created_at: number;
  lang: string | null;
  user_id: string | null;
  user_name: string | null;
  source: string | null;
  hashtags: string[];
  attributes: Record<string, string>;
}

/** The fields tweet-emotion.avsc and tweet-unclassified.avsc share (core's ProcessedTweet). */
export interface ProcessedTweetRecord {
  id: string;
  text: string;
  created_at: number;
  lang: string | null;
  user_id: string | null;
  hashtags: string[];
  model_name: string;
  model_version: string;
  processed_at: number;
  source_topic: string;
  source_partition: number;
  source_offset: number;
}

/** schemas/tweet-emotion.avsc as avsc reads and writes it. */
export interface TweetEmotionRecord extends ProcessedTweetRecord {
  emotion: { label: string; score: number; scores: Record<string, number> };
}

export function tweetFromRecord(record: TweetRecord): Tweet {
  return {
    id: record.id,
    text: record.text,
    createdAt: record.created_at,
    lang: record.lang,
    userId: record.user_id,
    userName: record.user_name,
    source: record.source,
    hashtags: record.hashtags,
    attributes: record.attributes,
  };
}

export function tweetToRecord(tweet: Tweet): TweetRecord {
  return {
    id: tweet.id,
    text: tweet.text,
    created_at: tweet.createdAt,
    lang: tweet.lang,
    user_id: tweet.userId,
    user_name: tweet.userName,
    source: tweet.source,
    hashtags: tweet.hashtags,
    attributes: tweet.attributes,
  };
}

export function processedTweetToRecord(event: ProcessedTweet): ProcessedTweetRecord {
  return {
    id: event.id,
    text: event.text,
    created_at: event.createdAt,
    lang: event.lang,
    user_id: event.userId,
    hashtags: event.hashtags,
    model_name: event.modelName,
    model_version: event.modelVersion,
    processed_at: event.processedAt,
    source_topic: event.sourceTopic,
    source_partition: event.sourcePartition,
    // Kafka offsets are decimal strings in kafkajs; Avro long. Real offsets stay far below 2^53.
    source_offset: Number(event.sourceOffset),
  };
}

export function processedTweetFromRecord(record: ProcessedTweetRecord): ProcessedTweet {
  return {
    id: record.id,
    text: record.text,
    createdAt: record.created_at,
    lang: record.lang,
    userId: record.user_id,
    hashtags: record.hashtags,
    modelName: record.model_name,
    modelVersion: record.model_version,
    processedAt: record.processed_at,
    sourceTopic: record.source_topic,
    sourcePartition: record.source_partition,
    sourceOffset: String(record.source_offset),
  };
}

export function tweetEmotionToRecord(event: TweetEmotion): TweetEmotionRecord {
  return {
    ...processedTweetToRecord(event),
    emotion: { label: event.emotion.label, score: event.emotion.score, scores: event.emotion.scores },
  };
}

export function tweetEmotionFromRecord(record: TweetEmotionRecord): TweetEmotion {
  return {
    ...processedTweetFromRecord(record),
    emotion: { label: record.emotion.label, score: record.emotion.score, scores: record.emotion.scores },
  };
}
