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

/** Output event (schemas/tweet-emotion.avsc). */
export interface TweetEmotion {
  id: string;
  text: string;
  createdAt: number;
  lang: string | null;
  userId: string | null;
  hashtags: string[];
  emotion: { label: string; score: number; scores: Record<string, number> };
  modelName: string;
  modelVersion: string;
  processedAt: number;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
}
