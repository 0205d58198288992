import { EmotionStreamError, type Stage } from './emotion-stream-error';

/**
 * Why a consumed record can never be processed. Stable strings: they are stored with every dead letter,
 * counted in metrics and matched by tests, so never rename one.
 */
export const POISON_CODES = [
  /** The record's value is null (a tombstone) or empty. */
  'NULL_VALUE',
  /** The bytes are not Avro at all: JSON or plain text, an undecodable structure, or a wrong Confluent magic byte. */
  'NOT_AVRO',
  /** Avro that ends before the record does. */
  'TRUNCATED_AVRO',
  /**
   * An Avro array or map claims more items (or a block more bytes) than the rest of the record can hold:
   * a decompression-bomb-like record that would make the decoder loop or allocate for the claim.
   */
  'AVRO_CLAIMS_EXCEED_BYTES',
  /** A complete record followed by extra bytes. */
  'TRAILING_BYTES',
  /** The Confluent frame names a schema id the registry does not know. */
  'UNKNOWN_SCHEMA_ID',
  /** The writer's schema cannot be read as a Tweet (another record, incompatible types, a framed value in raw mode). */
  'WRONG_SCHEMA',
  /** The writer's schema has no `text`, or the record's `text` is null. */
  'MISSING_TEXT',
  /** `text` is empty or only whitespace. */
  'EMPTY_TEXT',
  /** `text` is longer than the configured limit (UTF-8 bytes). */
  'TEXT_TOO_LONG',
  /** A string field holds bytes that are not valid UTF-8. */
  'INVALID_UTF8',
  /** `id` is empty or only whitespace: it is the output key, so it must identify the tweet. */
  'EMPTY_ID',
  /** The record's key is longer than MAX_KEY_BYTES. */
  'KEY_TOO_LARGE',
  /** The record has more header values than MAX_HEADERS (a repeated name counts once per value). */
  'TOO_MANY_HEADERS',
  /** One header's name and value together are longer than MAX_HEADER_BYTES. */
  'HEADER_TOO_LARGE',
  /** An enriched event the output schema rejects (a bug upstream, but retrying cannot fix it). */
  'UNENCODABLE_OUTPUT',
  /** The enriched record is bigger than one produce request may be (OUTPUT_MAX_REQUEST_BYTES, the topic's max.message.bytes). */
  'OUTPUT_TOO_LARGE',
] as const;

export type PoisonCode = (typeof POISON_CODES)[number];

/**
 * A record that can never succeed, however often it is retried: it goes to the dead-letter queue at once
 * (BullMQ's UnrecoverableError plays the same role). Messages never contain the tweet text.
 */
export class PoisonMessageError extends EmotionStreamError {
  declare readonly code: PoisonCode;

  constructor(code: PoisonCode, message: string, options: { stage?: Stage; cause?: unknown } = {}) {
    super(message, { code, stage: options.stage ?? 'decode', retriable: false, cause: options.cause });
  }
}

export function isPoison(error: unknown): error is PoisonMessageError {
  return error instanceof PoisonMessageError;
}
