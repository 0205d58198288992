// TypeScript view of schemas/tweet-unclassified.avsc: a tweet the worker did not classify because of its
// language. It goes to its own topic so the output topic's schema and readers stay as they are.

/** Where a tweet's language came from: the producer's `lang`, the detector, or nowhere. */
export type LanguageSource = 'producer' | 'detected' | 'none';

/**
 * Why a tweet was not classified (the Avro enum's symbols). The worker writes the first two; OTHER is what a
 * reader on this schema decodes for a reason a later schema adds.
 */
export type UnclassifiedReason = 'UNSUPPORTED_LANGUAGE' | 'UNDETERMINED_LANGUAGE' | 'OTHER';

export interface TweetUnclassified {
  id: string;
  text: string;
  /** Event time, epoch milliseconds. */
  createdAt: number;
  /** The producer's `lang`, as it came. */
  lang: string | null;
  userId: string | null;
  hashtags: string[];
  /** The decided or detected language (a lowercase primary subtag), or null. */
  language: string | null;
  languageSource: LanguageSource;
  /** The detector's confidence (0..1) when it was asked, else null. */
  languageConfidence: number | null;
  reason: UnclassifiedReason;
  modelName: string;
  modelVersion: string;
  /** The languages the model reads. */
  modelLanguages: string[];
  processedAt: number;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
}

/** The unclassified topic when none is configured (UNCLASSIFIED_TOPIC): beside the output topic. */
export const unclassifiedTopicOf = (outputTopic: string): string => `${outputTopic}.unclassified`;
