import type { LanguageSource, TweetUnclassified, UnclassifiedReason } from '../core';
import { processedTweetFromRecord, processedTweetToRecord, type ProcessedTweetRecord } from './tweet-mapping';

// snake_case schemas/tweet-unclassified.avsc <-> the camelCase TweetUnclassified view (src/core).
// test/unit/codec/tweet-unclassified-codecs.test.ts round-trips every field.

/** schemas/tweet-unclassified.avsc as avsc reads and writes it. */
export interface TweetUnclassifiedRecord extends ProcessedTweetRecord {
  language: string | null;
  language_source: LanguageSource;
  language_confidence: number | null;
  reason: UnclassifiedReason;
  model_languages: string[];
}

export function tweetUnclassifiedToRecord(event: TweetUnclassified): TweetUnclassifiedRecord {
  return {
    ...processedTweetToRecord(event),
    language: event.language,
    language_source: event.languageSource,
    language_confidence: event.languageConfidence,
    reason: event.reason,
    model_languages: event.modelLanguages,
  };
}

export function tweetUnclassifiedFromRecord(record: TweetUnclassifiedRecord): TweetUnclassified {
  return {
    ...processedTweetFromRecord(record),
    language: record.language,
    languageSource: record.language_source,
    languageConfidence: record.language_confidence,
    reason: record.reason,
    modelLanguages: record.model_languages,
  };
}
