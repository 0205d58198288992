import type { LanguageSource, TweetUnclassified, UnclassifiedReason } from '../core';

// snake_case schemas/tweet-unclassified.avsc <-> the camelCase TweetUnclassified view (src/core).
// test/unit/codec/tweet-unclassified-codecs.test.ts round-trips every field.

/** schemas/tweet-unclassified.avsc as avsc reads and writes it. */
export interface TweetUnclassifiedRecord {
  id: string;
  text: string;
  created_at: number;
  lang: string | null;
  user_id: string | null;
  hashtags: string[];
  language: string | null;
  language_source: LanguageSource;
  language_confidence: number | null;
  reason: UnclassifiedReason;
  model_name: string;
  model_version: string;
  model_languages: string[];
  processed_at: number;
  source_topic: string;
  source_partition: number;
  source_offset: number;
}

export function tweetUnclassifiedToRecord(event: TweetUnclassified): TweetUnclassifiedRecord {
  return {
    id: event.id,
    text: event.text,
    created_at: event.createdAt,
    lang: event.lang,
    user_id: event.userId,
    hashtags: event.hashtags,
    language: event.language,
    language_source: event.languageSource,
    language_confidence: event.languageConfidence,
    reason: event.reason,
    model_name: event.modelName,
    model_version: event.modelVersion,
    model_languages: event.modelLanguages,
    processed_at: event.processedAt,
    source_topic: event.sourceTopic,
    source_partition: event.sourcePartition,
    // Kafka offsets are decimal strings in kafkajs; Avro long. Real offsets stay far below 2^53.
    source_offset: Number(event.sourceOffset),
  };
}

export function tweetUnclassifiedFromRecord(record: TweetUnclassifiedRecord): TweetUnclassified {
  return {
    id: record.id,
    text: record.text,
    createdAt: record.created_at,
    lang: record.lang,
    userId: record.user_id,
    hashtags: record.hashtags,
    language: record.language,
    languageSource: record.language_source,
    languageConfidence: record.language_confidence,
    reason: record.reason,
    modelName: record.model_name,
    modelVersion: record.model_version,
    modelLanguages: record.model_languages,
    processedAt: record.processed_at,
    sourceTopic: record.source_topic,
    sourcePartition: record.source_partition,
    sourceOffset: String(record.source_offset),
  };
}
