import type { Envelope } from './envelope';
import type { EmotionAlert } from './emotion-alert';
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

/** Decodes enriched events from the output topic (alerts, the dashboard, tests). */
export interface TweetEmotionDecoder {
  decode(value: Buffer): Promise<TweetEmotion>;
}

/** Raw Avro (no framing) of EmotionAlert. Alerts are few and internal, so no registry round trip. */
export interface AlertCodec {
  encode(alert: EmotionAlert): Buffer;
  decode(value: Buffer): EmotionAlert;
}

/** Turns a tweet that was not classified (its language) into the unclassified topic's value bytes. */
export interface TweetUnclassifiedEncoder {
  encode(event: TweetUnclassified): Promise<Buffer>;
}
