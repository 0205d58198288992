import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import {
  extractTraceContext,
  injectTraceContext,
  kafkaHeaderGetter,
  remoteSpanContext,
  traceHeaders,
} from '../../../src/telemetry';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';
const traceparent = `00-${traceId}-${spanId}-01`;

describe('kafka trace headers', () => {
  it('reads a traceparent held in a Buffer, as kafkajs hands consumed headers out', () => {
    const spanContext = remoteSpanContext({ traceparent: Buffer.from(traceparent), other: Buffer.from('x') });
    expect(spanContext).toMatchObject({ traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  });

  it('keeps tracestate and reads repeated headers in order', () => {
    const context = extractTraceContext({ traceparent: [Buffer.from(traceparent)], tracestate: 'vendor=1' });
    expect(trace.getSpanContext(context)?.traceState?.get('vendor')).toBe('1');
    expect(kafkaHeaderGetter.get({ a: [Buffer.from('1'), '2'] }, 'a')).toEqual(['1', '2']);
    expect(kafkaHeaderGetter.keys({ a: undefined, b: 'x' })).toEqual(['a', 'b']);
  });

  it('finds no context in missing or malformed headers', () => {
    expect(remoteSpanContext({})).toBeUndefined();
    expect(remoteSpanContext({ traceparent: Buffer.from('garbage') })).toBeUndefined();
  });

  it('writes string headers that round-trip through extraction', () => {
    const context = extractTraceContext({
      traceparent: Buffer.from(traceparent),
      tracestate: Buffer.from('a=b'),
    });
    const headers = injectTraceContext(context, { kept: Buffer.from('v') });
    expect(headers).toEqual({ kept: Buffer.from('v'), traceparent, tracestate: 'a=b' });
    expect(traceHeaders(context)).toEqual({ traceparent, tracestate: 'a=b' });
  });

  it('writes nothing for a context without a span', () => {
    expect(injectTraceContext(ROOT_CONTEXT, {})).toEqual({});
    expect(traceHeaders(ROOT_CONTEXT)).toEqual({});
  });
});
