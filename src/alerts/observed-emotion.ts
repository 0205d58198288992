import type { TweetEmotion } from '../core';

/** The part of an enriched event the spike detector reads. */
export type ObservedEmotion = Pick<TweetEmotion, 'id' | 'createdAt' | 'lang' | 'hashtags'> & {
  emotion: Pick<TweetEmotion['emotion'], 'label' | 'score'>;
};
