import type { EmotionResult, Envelope, ModelInfo, Tweet, TweetEmotion } from '../core';

/** The output event for one input tweet and its classification. */
export function enrich(
  envelope: Envelope,
  tweet: Tweet,
  result: EmotionResult,
  model: ModelInfo,
  processedAt: number,
): TweetEmotion {
  return {
    id: tweet.id,
    text: tweet.text,
    createdAt: tweet.createdAt,
    lang: tweet.lang,
    userId: tweet.userId,
    hashtags: tweet.hashtags,
    emotion: { label: result.label, score: result.score, scores: result.scores },
    modelName: model.name,
    modelVersion: model.version,
    processedAt,
    sourceTopic: envelope.topic,
    sourcePartition: envelope.partition,
    sourceOffset: envelope.offset,
  };
}
