import { PoisonMessageError, type Envelope } from '../../../src/core';
import {
  checkRecordLimits,
  DEFAULT_RECORD_LIMITS,
  type RecordLimits,
} from '../../../src/ingest/record-limits';
import { envelopeOf } from '../../support/envelope';

const limits: RecordLimits = { maxKeyBytes: 8, maxHeaders: 3, maxHeaderBytes: 10 };

function codeOf(envelope: Envelope, with_: RecordLimits = limits): string | undefined {
  try {
    checkRecordLimits(envelope, with_);
    return undefined;
  } catch (error) {
    if (!(error instanceof PoisonMessageError)) throw error;
    expect(error.stage).toBe('ingest');
    expect(error.retriable).toBe(false);
    return error.code;
  }
}

const withParts = (key: Buffer | null, headers: Envelope['headers']): Envelope => ({
  ...envelopeOf(Buffer.from('v')),
  key,
  headers,
});

test('a record at every limit passes; one byte or header more is poison with its own code', () => {
  expect(
    codeOf(withParts(Buffer.alloc(8), { a: Buffer.alloc(9), b: [Buffer.alloc(1), Buffer.alloc(1)] })),
  ).toBe(undefined);
  expect(codeOf(withParts(Buffer.alloc(9), {}))).toBe('KEY_TOO_LARGE');
  expect(codeOf(withParts(null, { a: Buffer.alloc(10) }))).toBe('HEADER_TOO_LARGE');
  // The name counts: 2 bytes of name and 9 of value.
  expect(codeOf(withParts(null, { ab: Buffer.alloc(9) }))).toBe('HEADER_TOO_LARGE');
  expect(
    codeOf(withParts(null, { a: Buffer.alloc(1), b: [Buffer.alloc(1), Buffer.alloc(1), Buffer.alloc(1)] })),
  ).toBe('TOO_MANY_HEADERS');
  expect(codeOf(withParts(null, { '\u00e9\u00e9\u00e9\u00e9\u00e9': Buffer.alloc(1) }))).toBe(
    'HEADER_TOO_LARGE',
  );
});

test('the defaults leave real records alone: a 36-byte key and ten tracing/type headers', () => {
  const headers: Envelope['headers'] = {
    traceparent: Buffer.from('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
    tracestate: Buffer.from('congo=t61rcWkgMzE'),
    baggage: Buffer.alloc(8192, 0x61),
  };
  for (let i = 0; i < 7; i++) headers[`x-lineage-${i}`] = Buffer.from('value');
  expect(
    codeOf(withParts(Buffer.from('6c8f2a1e-0b1d-4c6a-9a55-3c1e1f7f7c10'), headers), DEFAULT_RECORD_LIMITS),
  ).toBe(undefined);
});

test('messages name sizes and the setting, never the header name or its bytes', () => {
  try {
    checkRecordLimits(withParts(null, { '\u001b[31mevil': Buffer.from('secret-value-xx') }), limits);
    throw new Error('expected HEADER_TOO_LARGE');
  } catch (error) {
    expect((error as Error).message).toContain('MAX_HEADER_BYTES');
    expect((error as Error).message).not.toContain('evil');
    expect((error as Error).message).not.toContain('secret');
  }
});
