import type { KafkaMessage } from 'kafkajs';
import type { Envelope } from '../core';

/** A kafkajs message as the pipeline's Envelope; header values become Buffers (the first, if repeated). */
export function toEnvelope(topic: string, partition: number, message: KafkaMessage): Envelope {
  const headers: Record<string, Buffer | undefined> = {};
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    headers[name] = value === undefined ? undefined : Buffer.isBuffer(value) ? value : Buffer.from(value);
  }
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key,
    value: message.value,
    headers,
  };
}
