import type { Envelope } from './envelope';
import type { Tweet, TweetEmotion } from './tweet';

/** Turns a consumed record's bytes into a Tweet; throws an EmotionStreamError (poison or transient). */
export interface TweetDecoder {
  decode(envelope: Envelope): Promise<Tweet>;
}

/** Turns an enriched event into the output record's value bytes. */
export interface TweetEmotionEncoder {
  encode(event: TweetEmotion): Promise<Buffer>;
}
