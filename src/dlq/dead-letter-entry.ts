import { createHash } from 'node:crypto';
import type { DeadLetterFailure, EmotionStreamError, Envelope, HeaderValue, Stage } from '../core';

/**
 * One dead letter as stored (BullMQ job data) and as `dlq list --json` prints it. Bytes are base64 so
 * the entry is plain JSON and the original record can be re-published exactly.
 */
export interface DeadLetterEntry {
  /**
   * `topic:partition:offset-fingerprint` (see deadLetterId): the same record always gets the same id,
   * so a replayed crash cannot duplicate it, and another record at the same coordinates (the topic
   * was recreated) gets another one. Entries stored before fingerprints were added keep `topic:partition:offset`.
   */
  id: string;
  topic: string;
  partition: number;
  offset: string;
  /** Broker timestamp of the original record, epoch ms as a string. */
  timestamp: string;
  /** Original key, base64; null when the record had none. */
  key: string | null;
  /** Original value, base64; null for a tombstone. */
  value: string | null;
  /** Original headers, values base64; a repeated header name holds every value, in order. */
  headers: Record<string, string | string[]>;
  code: string;
  stage: Stage;
  message: string;
  retriable: boolean;
  attempts: number;
  /** ISO-8601 times of the first and the last failed attempt. */
  firstFailedAt: string;
  lastFailedAt: string;
  /** W3C trace id from the record's `traceparent` header, when it had one. */
  traceId: string | null;
}

/** The original record of an entry, as bytes again. */
export interface OriginalRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, HeaderValue>;
}

/**
 * 12 hex digits of a SHA-256 over the record's timestamp, key, value and headers (sorted by name,
 * each field length-prefixed): equal for the same record read twice, different for a new record
 * that a recreated topic put at the same offset.
 */
export function recordFingerprint(
  envelope: Pick<Envelope, 'timestamp' | 'key' | 'value' | 'headers'>,
): string {
  const hash = createHash('sha256');
  const field = (bytes: Buffer | null | undefined) => {
    const length = Buffer.alloc(5);
    // A leading flag byte tells null (absent) from empty.
    length.writeUInt8(bytes === null || bytes === undefined ? 0 : 1, 0);
    length.writeUInt32BE(bytes?.length ?? 0, 1);
    hash.update(length);
    if (bytes) hash.update(bytes);
  };
  field(Buffer.from(envelope.timestamp));
  field(envelope.key);
  field(envelope.value);
  const names = Object.keys(envelope.headers).filter((name) => envelope.headers[name] !== undefined);
  for (const name of names.sort()) {
    field(Buffer.from(name));
    // A repeated header name carries every value, in order.
    const value = envelope.headers[name];
    for (const item of Array.isArray(value) ? value : [value]) field(item);
  }
  return hash.digest('hex').slice(0, 12);
}

// Kafka topic names cannot contain ':', so the id is unambiguous (and BullMQ accepts 3-part ids only).
export const deadLetterId = (
  envelope: Pick<Envelope, 'topic' | 'partition' | 'offset' | 'timestamp' | 'key' | 'value' | 'headers'>,
): string => `${envelope.topic}:${envelope.partition}:${envelope.offset}-${recordFingerprint(envelope)}`;

const traceparentPattern = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}/;

/** The trace id of a W3C `traceparent` header value, or null when absent or malformed (all-zero ids are invalid). */
export function traceIdFromHeaders(headers: Record<string, HeaderValue | undefined>): string | null {
  const value = Object.hasOwn(headers, 'traceparent') ? headers.traceparent : undefined;
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return null;
  const match = traceparentPattern.exec(raw.toString('latin1').trim().toLowerCase());
  if (!match || /^0+$/.test(match[1])) return null;
  return match[1];
}

export function toDeadLetterEntry(
  envelope: Envelope,
  error: EmotionStreamError,
  attempts: number,
  failure: DeadLetterFailure | undefined,
  now: number,
): DeadLetterEntry {
  // fromEntries defines own properties: a header named `__proto__` stays a header.
  const headers = Object.fromEntries(
    Object.entries(envelope.headers)
      .filter((entry): entry is [string, HeaderValue] => entry[1] !== undefined)
      .map(([name, value]) => [
        name,
        Array.isArray(value) ? value.map((item) => item.toString('base64')) : value.toString('base64'),
      ]),
  );
  return {
    id: deadLetterId(envelope),
    topic: envelope.topic,
    partition: envelope.partition,
    offset: envelope.offset,
    timestamp: envelope.timestamp,
    key: envelope.key === null ? null : envelope.key.toString('base64'),
    value: envelope.value === null ? null : envelope.value.toString('base64'),
    headers,
    code: error.code,
    stage: error.stage,
    message: error.message,
    retriable: error.retriable,
    attempts,
    firstFailedAt: new Date(failure?.firstFailedAt ?? now).toISOString(),
    lastFailedAt: new Date(now).toISOString(),
    traceId: traceIdFromHeaders(envelope.headers),
  };
}

export function originalRecord(entry: DeadLetterEntry): OriginalRecord {
  const headers = Object.fromEntries(
    Object.entries(entry.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map((item) => Buffer.from(item, 'base64')) : Buffer.from(value, 'base64'),
    ]),
  );
  return {
    key: entry.key === null ? null : Buffer.from(entry.key, 'base64'),
    value: entry.value === null ? null : Buffer.from(entry.value, 'base64'),
    headers,
  };
}

/** The envelope the entry was made from (for re-running it through the pipeline). */
export function envelopeOf(entry: DeadLetterEntry): Envelope {
  const record = originalRecord(entry);
  return {
    topic: entry.topic,
    partition: entry.partition,
    offset: entry.offset,
    timestamp: entry.timestamp,
    ...record,
  };
}
