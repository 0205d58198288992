import type { KafkaMessage } from 'kafkajs';
import type { Envelope, HeaderValue } from '../core';

/**
 * The values of one header as kafkajs hands them out. kafkajs builds a record's headers with
 * `obj[key] === undefined ? value : [obj[key], value]` on a plain object, so a header named after an
 * Object.prototype member (`toString`, `constructor`, `__proto__`…) arrives as `[inherited, value]`:
 * only Buffers (strings when built by hand) and nulls are values, anything else is such an artefact.
 */
function headerValues(raw: unknown): Buffer[] {
  const values: Buffer[] = [];
  for (const item of Array.isArray(raw) ? (raw as unknown[]) : [raw]) {
    if (Buffer.isBuffer(item)) values.push(item);
    else if (typeof item === 'string') values.push(Buffer.from(item, 'utf8'));
    else if (item === null) values.push(Buffer.alloc(0));
  }
  return values;
}

/**
 * The headers as own properties of a prototype-less object: `headers.__proto__ = value` on a plain
 * object would replace its prototype instead of keeping the header.
 */
function ownHeaders(raw: KafkaMessage['headers']): Record<string, HeaderValue | undefined> {
  const headers = Object.create(null) as Record<string, HeaderValue | undefined>;
  if (raw === null || typeof raw !== 'object') return headers;
  for (const name of Object.keys(raw)) {
    const values = headerValues((raw as Record<string, unknown>)[name]);
    if (values.length > 0) headers[name] = values.length === 1 ? values[0] : values;
  }
  return headers;
}

const asBytes = (value: unknown): Buffer | null =>
  Buffer.isBuffer(value) ? value : typeof value === 'string' ? Buffer.from(value, 'utf8') : null;

/**
 * A kafkajs message as the pipeline's Envelope. Total: whatever a record holds (any header names,
 * repeated headers, null key or value, any timestamp) it returns, so a hostile record reaches the
 * pipeline's per-message error path instead of failing the whole batch here.
 */
export function toEnvelope(topic: string, partition: number, message: KafkaMessage): Envelope {
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: String(message.timestamp),
    key: asBytes(message.key),
    value: asBytes(message.value),
    headers: ownHeaders(message.headers),
  };
}
