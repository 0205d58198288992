import type { Envelope } from './envelope';
import type { Tweet, TweetEmotion } from './tweet';
import type { TweetUnclassified } from './tweet-unclassified';

/** Turns a consumed record's bytes into a Tweet; throws an EmotionStreamError (poison or transient). */
export interface TweetDecoder {
  decode(envelope: Envelope): Promise<Tweet>;
}

/** Turns an enriched event into the output record's value bytes. */
export interface TweetEmotionEncoder {
  encode(event: TweetEmotion): Promise<Buffer>;
}

/** Turns a tweet that was not classified (its language) into the unclassified topic's value bytes. */
export interface TweetUnclassifiedEncoder {
  encode(event: TweetUnclassified): Promise<Buffer>;
}
