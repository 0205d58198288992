import type {
  Envelope,
  Tweet,
  TweetDecoder,
  TweetEmotion,
  TweetEmotionDecoder,
  TweetEmotionEncoder,
} from '../core';
import { PoisonMessageError } from '../core';
import type { RecordReader } from './record-readers';
import type { RecordWriter } from './record-writer';
import {
  tweetEmotionFromRecord,
  tweetEmotionToRecord,
  tweetFromRecord,
  tweetToRecord,
  type TweetEmotionRecord,
} from './tweet-mapping';
import { validateTweetRecord, type DecodedTweetRecord } from './tweet-validation';

/** Encodes input tweets (what `emotion-stream produce` and tests publish). */
export interface TweetEncoder {
  encode(tweet: Tweet): Promise<Buffer>;
}

function requireValue(envelope: Envelope): Buffer {
  if (envelope.value === null || envelope.value === undefined) {
    throw new PoisonMessageError('NULL_VALUE', 'record value is null (a tombstone)');
  }
  if (envelope.value.length === 0)
    throw new PoisonMessageError('NULL_VALUE', 'record value is empty (0 bytes)');
  return envelope.value;
}

export class AvroTweetDecoder implements TweetDecoder {
  constructor(
    private readonly reader: RecordReader,
    private readonly maxTextBytes: number,
  ) {}

  async decode(envelope: Envelope): Promise<Tweet> {
    const record = (await this.reader.read(requireValue(envelope))) as DecodedTweetRecord;
    validateTweetRecord(record, this.maxTextBytes);
    return tweetFromRecord(record);
  }
}

/** `writer` is a function so a registry id can be fetched (once) on first use; see createCodec. */
type WriterSource = () => Promise<RecordWriter>;

export class AvroTweetEmotionEncoder implements TweetEmotionEncoder {
  constructor(private readonly writer: WriterSource) {}

  async encode(event: TweetEmotion): Promise<Buffer> {
    return (await this.writer()).write(tweetEmotionToRecord(event));
  }
}

export class AvroTweetEncoder implements TweetEncoder {
  /** Lazy so the input schema is registered only by whoever actually encodes tweets (`produce`). */
  constructor(private readonly writer: WriterSource) {}

  async encode(tweet: Tweet): Promise<Buffer> {
    return (await this.writer()).write(tweetToRecord(tweet));
  }
}

export class AvroTweetEmotionDecoder implements TweetEmotionDecoder {
  constructor(private readonly reader: RecordReader) {}

  async decode(value: Buffer): Promise<TweetEmotion> {
    return tweetEmotionFromRecord((await this.reader.read(value)) as TweetEmotionRecord);
  }
}
