import type { TweetUnclassified, TweetUnclassifiedEncoder } from '../core';
import type { RecordReader } from './record-readers';
import type { RecordWriter } from './record-writer';
import {
  tweetUnclassifiedFromRecord,
  tweetUnclassifiedToRecord,
  type TweetUnclassifiedRecord,
} from './tweet-unclassified-mapping';

/** Decodes records of the unclassified topic (for its readers and tests). */
export interface TweetUnclassifiedDecoder {
  decode(value: Buffer): Promise<TweetUnclassified>;
}

export class AvroTweetUnclassifiedEncoder implements TweetUnclassifiedEncoder {
  /** `writer` is a function so a registry id is fetched (once) on first use; see createCodec. */
  constructor(private readonly writer: () => Promise<RecordWriter>) {}

  async encode(event: TweetUnclassified): Promise<Buffer> {
    return (await this.writer()).write(tweetUnclassifiedToRecord(event));
  }
}

export class AvroTweetUnclassifiedDecoder implements TweetUnclassifiedDecoder {
  constructor(private readonly reader: RecordReader) {}

  async decode(value: Buffer): Promise<TweetUnclassified> {
    return tweetUnclassifiedFromRecord((await this.reader.read(value)) as TweetUnclassifiedRecord);
  }
}
