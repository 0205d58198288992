import type { EmotionResult, Envelope, ModelInfo, ProcessedTweet, Tweet, TweetEmotion } from '../core';

/** The fields every record written for a tweet carries: the tweet's, the model's, the lineage. */
export function processedTweet(
  envelope: Envelope,
  tweet: Tweet,
  model: ModelInfo,
  processedAt: number,
): ProcessedTweet {
  return {
    id: tweet.id,
    text: tweet.text,
    createdAt: tweet.createdAt,
    lang: tweet.lang,
    userId: tweet.userId,
    hashtags: tweet.hashtags,
    modelName: model.name,
    modelVersion: model.version,
    processedAt,
    sourceTopic: envelope.topic,
    sourcePartition: envelope.partition,
    sourceOffset: envelope.offset,
  };
}

/** The output event for one input tweet and its classification. */
export function enrich(
  envelope: Envelope,
  tweet: Tweet,
  result: EmotionResult,
  model: ModelInfo,
  processedAt: number,
): TweetEmotion {
  return {
    ...processedTweet(envelope, tweet, model, processedAt),
    emotion: { label: result.label, score: result.score, scores: result.scores },
  };
}
