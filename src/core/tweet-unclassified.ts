import type { ProcessedTweet } from './tweet';

// TypeScript view of schemas/tweet-unclassified.avsc: a tweet the worker did not classify because of its
// language. It goes to its own topic so the output topic's schema and readers stay as they are.

/** Where a tweet's language came from: the producer's `lang`, the detector, or nowhere. */
export type LanguageSource = 'producer' | 'detected' | 'none';

/**
 * Why a tweet was not classified (the Avro enum's symbols). The worker writes the first two; OTHER is what a
 * reader on this schema decodes for a reason a later schema adds.
 */
export type UnclassifiedReason = 'UNSUPPORTED_LANGUAGE' | 'UNDETERMINED_LANGUAGE' | 'OTHER';

/** The unclassified topic's record; `lang` is the producer's, as it came. */
export interface TweetUnclassified extends ProcessedTweet {
  /** The decided or detected language (a lowercase primary subtag), or null. */
  language: string | null;
  languageSource: LanguageSource;
  /** The detector's confidence (0..1) when it was asked, else null. */
  languageConfidence: number | null;
  reason: UnclassifiedReason;
  /** The languages the model reads. */
  modelLanguages: string[];
}

/** The unclassified topic when none is configured (UNCLASSIFIED_TOPIC): beside the output topic. */
export const unclassifiedTopicOf = (outputTopic: string): string => `${outputTopic}.unclassified`;
