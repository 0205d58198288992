import {
  ROOT_CONTEXT,
  trace,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * Kafka record headers as kafkajs hands them out (consumed records hold Buffers) or accepts them
 * (produced records may hold strings). Envelope.headers is the Buffer-only subset.
 */
export type KafkaHeaders = Record<string, Buffer | string | Array<Buffer | string> | undefined>;

/** The W3C trace-context header names (https://www.w3.org/TR/trace-context/). */
export const TRACE_HEADER_NAMES = ['traceparent', 'tracestate'] as const;

/** Reads kafkajs headers for a propagator: Buffers become UTF-8 strings, repeated headers keep their order. */
export const kafkaHeaderGetter: TextMapGetter<KafkaHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return value.map((item) => item.toString());
    return value.toString();
  },
};

/** Writes propagation fields as plain strings, which kafkajs encodes as UTF-8 on produce. */
export const kafkaHeaderSetter: TextMapSetter<KafkaHeaders> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

// W3C trace context is the wire format on our topics whatever OTEL_PROPAGATORS says, and it must
// flow from input to output even when the SDK is off (the global propagator is then a no-op).
const w3c = new W3CTraceContextPropagator();

/** The producer's context carried in a record's headers (ROOT_CONTEXT plus the remote span, if any). */
export function extractTraceContext(headers: KafkaHeaders): Context {
  return w3c.extract(ROOT_CONTEXT, headers, kafkaHeaderGetter);
}

/** The producer's span context from a record's headers, or undefined when absent or malformed. */
export function remoteSpanContext(headers: KafkaHeaders): SpanContext | undefined {
  return trace.getSpanContext(extractTraceContext(headers));
}

/** Writes `traceparent` (and `tracestate`) for the span in `context` into `headers`; returns `headers`. */
export function injectTraceContext<T extends KafkaHeaders>(context: Context, headers: T): T & KafkaHeaders {
  w3c.inject(context, headers, kafkaHeaderSetter);
  return headers;
}

/**
 * The trace headers of `context` as a small string map, the form stored with a dead-letter entry
 * (BullMQ job data is JSON, so Buffers are not an option).
 */
export function traceHeaders(context: Context): Record<string, string> {
  const carrier: KafkaHeaders = {};
  injectTraceContext(context, carrier);
  const out: Record<string, string> = {};
  for (const name of TRACE_HEADER_NAMES) {
    const value = carrier[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
