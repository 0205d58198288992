import { PoisonMessageError } from '../core';
import type { TweetRecord } from './tweet-mapping';

/** @defaultValue of `maxTextBytes`: 64 KiB of UTF-8, far above any real post, small enough to bound a batch. */
export const DEFAULT_MAX_TEXT_BYTES = 64 * 1024;

/** A decoded input record whose `text` may be null: the lenient reader (see read-plan.ts) lets it through. */
export type DecodedTweetRecord = Omit<TweetRecord, 'text'> & { text: string | null };

/**
 * The content rules a decoded tweet must meet before it is worth a model run. Messages name the rule and
 * sizes, never the text itself (it may be personal data).
 */
export function validateTweetRecord(
  record: DecodedTweetRecord,
  maxTextBytes: number,
): asserts record is TweetRecord {
  const { text } = record;
  if (text === null || text === undefined) {
    throw new PoisonMessageError('MISSING_TEXT', `tweet ${record.id} has no text`, { stage: 'validate' });
  }
  const textBytes = Buffer.byteLength(text, 'utf8');
  if (textBytes > maxTextBytes) {
    throw new PoisonMessageError(
      'TEXT_TOO_LONG',
      `tweet ${record.id} has ${textBytes} bytes of text; the limit is ${maxTextBytes}`,
      {
        stage: 'validate',
      },
    );
  }
  if (text.trim() === '') {
    throw new PoisonMessageError(
      'EMPTY_TEXT',
      `tweet ${record.id} has ${text.length === 0 ? 'empty' : 'whitespace-only'} text`,
      {
        stage: 'validate',
      },
    );
  }
  if (record.id.trim() === '') {
    throw new PoisonMessageError('EMPTY_ID', 'tweet has an empty id', { stage: 'validate' });
  }
}
