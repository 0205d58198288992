/** A Kafka record as far as its size goes (an output record, a replayed dead letter). */
export interface SizedRecord {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
}

/**
 * The broker's default `message.max.bytes` (and a topic's `max.message.bytes`) is 1 048 588 bytes:
 * one record batch per partition must fit. We stay at 1 000 000 so the request's own framing (batch
 * header, topic and partition fields, transactional id) always has room.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 1_000_000;

/** A v2 record batch's fixed header; kept free below a topic's `max.message.bytes`. */
export const RECORD_BATCH_OVERHEAD = 61;

// Per record: length, attributes, timestamp delta, offset delta, key length, value length, header
// count as varints at their widest (5 + 1 + 10 + 5 + 5 + 5 + 5), and two length varints per header.
const RECORD_OVERHEAD = 36;
const HEADER_OVERHEAD = 10;

const byteLength = (value: Buffer | string | null | undefined): number =>
  value === null || value === undefined
    ? 0
    : typeof value === 'string'
      ? Buffer.byteLength(value)
      : value.length;

/** The most bytes one uncompressed record can take in a record batch (an upper bound, never less). */
export function recordBytes(record: SizedRecord): number {
  let size = RECORD_OVERHEAD + byteLength(record.key) + byteLength(record.value);
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    // A repeated header name is one header per value on the wire.
    for (const item of Array.isArray(value) ? value : [value])
      size += HEADER_OVERHEAD + Buffer.byteLength(name) + byteLength(item);
  }
  return size;
}

/**
 * Cuts `items` (in order) into consecutive groups of at most `maxBytes` each, so every produce
 * request — and so every partition's record batch in it — stays under the broker's limits. An item
 * bigger than `maxBytes` alone gets a group of its own (callers filter those out before).
 */
export function splitBySize<T>(items: readonly T[], maxBytes: number, sizeOf: (item: T) => number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && currentBytes + size > maxBytes) {
      groups.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The limit the worker's sends are split by, shared by its producers; lowered once at start to fit the topic. */
export interface OutputSizeLimit {
  /** The most record bytes (recordBytes) of one produce request; a bigger single record is OUTPUT_TOO_LARGE. */
  maxRequestBytes: number;
}

/** The configured limit, lowered to what the topic's `max.message.bytes` accepts when that is known and smaller. */
export function fitToTopic(configuredBytes: number, topicMaxMessageBytes: number | undefined): number {
  if (topicMaxMessageBytes === undefined) return configuredBytes;
  return Math.max(1, Math.min(configuredBytes, topicMaxMessageBytes - RECORD_BATCH_OVERHEAD));
}
