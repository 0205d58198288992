// TypeScript views of schemas/*.avsc (the schemas are the source of truth; the codec's tests
// check these types against them).

/** Input event (schemas/tweet.avsc). */
export interface Tweet {
  id: string;
  text: string;
  /** Event time, epoch milliseconds (Avro timestamp-millis). */
  createdAt: number;
  lang: string | null;
  userId: string | null;
  userName: string | null;
  source: string | null;
  hashtags: string[];
  attributes: Record<string, string>;
}

/**
 * What every record the worker writes for a tweet carries, classified or not: the tweet's fields the output
 * keeps, the model that saw it, and the lineage back to the input record.
 */
export interface ProcessedTweet {
  id: string;
  text: string;
  createdAt: number;
  lang: string | null;
  userId: string | null;
  hashtags: string[];
  modelName: string;
  modelVersion: string;
  processedAt: number;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
}

/** Output event (schemas/tweet-emotion.avsc). */
export interface TweetEmotion extends ProcessedTweet {
  emotion: { label: string; score: number; scores: Record<string, number> };
}
