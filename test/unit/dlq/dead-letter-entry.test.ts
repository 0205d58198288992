import { PoisonMessageError, type Envelope } from '../../../src/core';
import {
  envelopeOf,
  originalRecord,
  toDeadLetterEntry,
  traceIdFromHeaders,
} from '../../../src/dlq/dead-letter-entry';

const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    topic: 'tweets',
    partition: 3,
    offset: '1234',
    timestamp: '1700000000000',
    key: Buffer.from('tweet-1'),
    value: Buffer.from([0x00, 0xff, 0x10, 0x80]),
    headers: { traceparent: Buffer.from(traceparent), binary: Buffer.from([0xc3, 0x28]), gone: undefined },
    ...overrides,
  };
}

describe('toDeadLetterEntry', () => {
  it('keeps the original bytes, the reason and the trace id', () => {
    const now = Date.parse('2026-01-02T03:04:05.000Z');
    const entry = toDeadLetterEntry(
      envelope(),
      new PoisonMessageError('NOT_AVRO', 'not Avro'),
      1,
      { firstFailedAt: now - 1000 },
      now,
    );
    expect(entry).toMatchObject({
      id: 'tweets:3:1234',
      topic: 'tweets',
      partition: 3,
      offset: '1234',
      timestamp: '1700000000000',
      code: 'NOT_AVRO',
      stage: 'decode',
      message: 'not Avro',
      retriable: false,
      attempts: 1,
      firstFailedAt: '2026-01-02T03:04:04.000Z',
      lastFailedAt: '2026-01-02T03:04:05.000Z',
      traceId: '0af7651916cd43dd8448eb211c80319c',
    });
    expect(Object.keys(entry.headers).sort()).toEqual(['binary', 'traceparent']);
    // Survives JSON (how BullMQ stores it) and gives back the exact bytes.
    const record = originalRecord(JSON.parse(JSON.stringify(entry)));
    expect(record.key).toEqual(Buffer.from('tweet-1'));
    expect(record.value).toEqual(Buffer.from([0x00, 0xff, 0x10, 0x80]));
    expect(record.headers.binary).toEqual(Buffer.from([0xc3, 0x28]));
  });

  it('keeps null keys and values (tombstones) as null', () => {
    const entry = toDeadLetterEntry(
      envelope({ key: null, value: null, headers: {} }),
      new PoisonMessageError('NULL_VALUE', 'null'),
      1,
      undefined,
      0,
    );
    expect(entry.key).toBeNull();
    expect(entry.value).toBeNull();
    expect(entry.traceId).toBeNull();
    expect(entry.firstFailedAt).toBe(entry.lastFailedAt);
    const back = envelopeOf(entry);
    expect(back).toMatchObject({
      topic: 'tweets',
      partition: 3,
      offset: '1234',
      key: null,
      value: null,
      headers: {},
    });
  });
});

describe('traceIdFromHeaders', () => {
  it('reads the trace id of a W3C traceparent', () => {
    expect(traceIdFromHeaders({ traceparent: Buffer.from(traceparent.toUpperCase()) })).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
  });

  it.each([
    ['garbage'],
    ['00-00000000000000000000000000000000-b7ad6b7169203331-01'],
    ['00-0af7651916cd43dd-b7ad6b7169203331-01'],
  ])('ignores an invalid header %s', (value) => {
    expect(traceIdFromHeaders({ traceparent: Buffer.from(value) })).toBeNull();
  });
});
