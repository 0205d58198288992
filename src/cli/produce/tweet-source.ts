import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Tweet } from '../../core';
import { detectFormat, parseLine, type ConcreteFormat, type TweetFileFormat } from './input-formats';

/** A complete tweet ready to publish, with the label its line carried (for the x-expected-label header). */
export interface SourcedTweet {
  tweet: Tweet;
  label?: string;
}

export interface TweetSourceOptions {
  /** A file path; undefined = stdin. */
  file?: string;
  format: TweetFileFormat;
  /** Generated ids are `<idPrefix>-<n>` (n from 1, in input order). */
  idPrefix: string;
  /** Read a file this many times (ids stay unique): a small sample makes a large benchmark. @defaultValue 1 */
  repeat?: number;
  /** Stop after this many tweets. @defaultValue unlimited */
  limit?: number;
  /** Epoch ms for tweets without created_at. @defaultValue Date.now at read time */
  now?: () => number;
  /** Told once the format is known (after the first non-blank line). */
  onFormat?: (format: ConcreteFormat) => void;
  /** Lines skipped (blank, header) are counted here. */
  skipped?: { count: number };
}

function linesOf(file: string | undefined): AsyncIterable<string> {
  const input: Readable = file === undefined ? process.stdin : createReadStream(file, { encoding: 'utf8' });
  return createInterface({ input, crlfDelay: Infinity });
}

/** Reads tweets line by line (never the whole file at once), filling in ids and timestamps. */
export async function* readTweets(options: TweetSourceOptions): AsyncGenerator<SourcedTweet> {
  const now = options.now ?? Date.now;
  const rounds = options.file === undefined ? 1 : Math.max(1, options.repeat ?? 1);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let format: ConcreteFormat | undefined = options.format === 'auto' ? undefined : options.format;
  let produced = 0;
  for (let round = 0; round < rounds; round++) {
    let lineNo = 0;
    for await (const line of linesOf(options.file)) {
      lineNo++;
      if (format === undefined) {
        if (line.trim() === '') continue;
        format = detectFormat(line);
        options.onFormat?.(format);
      }
      const draft = parseLine(format, line, lineNo);
      if (draft === undefined) {
        if (options.skipped && round === 0) options.skipped.count++;
        continue;
      }
      if (produced >= limit) return;
      produced++;
      yield {
        tweet: {
          id:
            draft.tweet.id === undefined
              ? `${options.idPrefix}-${produced}`
              : rounds > 1
                ? `${draft.tweet.id}-r${round + 1}`
                : draft.tweet.id,
          text: draft.tweet.text,
          createdAt: draft.tweet.createdAt ?? now(),
          lang: draft.tweet.lang ?? null,
          userId: draft.tweet.userId ?? null,
          userName: draft.tweet.userName ?? null,
          source: draft.tweet.source ?? null,
          hashtags: draft.tweet.hashtags ?? [],
          attributes: draft.tweet.attributes ?? {},
        },
        ...(draft.label === undefined ? {} : { label: draft.label }),
      };
    }
  }
}
