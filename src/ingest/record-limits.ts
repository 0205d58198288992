import { PoisonMessageError, type Envelope } from '../core';

/**
 * Bounds on the parts of a record the codec does not read: a record past one of them is poison,
 * dead-lettered (original bytes kept) before any work is spent on it.
 */
export interface RecordLimits {
  /** Longest key, bytes. @defaultValue 65536 */
  maxKeyBytes: number;
  /** Most header values (a repeated name counts once per value). @defaultValue 128 */
  maxHeaders: number;
  /** Longest header, name and value together, bytes. @defaultValue 65536 */
  maxHeaderBytes: number;
}

/**
 * Far above what real producers send — keys are ids (tens of bytes), headers are a handful of
 * tracing, type and lineage entries (W3C baggage, the largest standard one, is capped at 8 KiB) —
 * yet small enough that one record's headers cannot dominate a batch's memory or time.
 */
export const DEFAULT_RECORD_LIMITS: RecordLimits = {
  maxKeyBytes: 64 * 1024,
  maxHeaders: 128,
  maxHeaderBytes: 64 * 1024,
};

/** Throws KEY_TOO_LARGE, TOO_MANY_HEADERS or HEADER_TOO_LARGE poison when `envelope` is past a limit. */
export function checkRecordLimits(envelope: Envelope, limits: RecordLimits): void {
  if (envelope.key !== null && envelope.key.length > limits.maxKeyBytes) {
    throw new PoisonMessageError(
      'KEY_TOO_LARGE',
      `key of ${envelope.key.length} bytes; the limit is ${limits.maxKeyBytes} (MAX_KEY_BYTES)`,
      { stage: 'ingest' },
    );
  }
  let count = 0;
  for (const [name, value] of Object.entries(envelope.headers)) {
    if (value === undefined) continue;
    const nameBytes = Buffer.byteLength(name, 'utf8');
    for (const item of Array.isArray(value) ? value : [value]) {
      count += 1;
      if (count > limits.maxHeaders) {
        throw new PoisonMessageError(
          'TOO_MANY_HEADERS',
          `more than ${limits.maxHeaders} headers (MAX_HEADERS)`,
          { stage: 'ingest' },
        );
      }
      const size = nameBytes + item.length;
      if (size > limits.maxHeaderBytes) {
        throw new PoisonMessageError(
          'HEADER_TOO_LARGE',
          `a header of ${size} bytes (name and value); the limit is ${limits.maxHeaderBytes} (MAX_HEADER_BYTES)`,
          { stage: 'ingest' },
        );
      }
    }
  }
}
