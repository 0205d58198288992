import { PoisonMessageError, type Envelope } from '../../../src/core';
import {
  deadLetterId,
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

describe('deadLetterId', () => {
  it('is the same for the same record, including one rebuilt from its entry (retry queue, replay)', () => {
    const original = envelope();
    const entry = toDeadLetterEntry(original, new PoisonMessageError('NOT_AVRO', 'x'), 1, undefined, 0);
    expect(deadLetterId(envelope())).toBe(deadLetterId(original));
    expect(deadLetterId(envelopeOf(JSON.parse(JSON.stringify(entry))))).toBe(entry.id);
    // Header order does not matter; an undefined header is no header.
    const reordered = envelope({
      headers: { binary: Buffer.from([0xc3, 0x28]), traceparent: Buffer.from(traceparent) },
    });
    expect(deadLetterId(reordered)).toBe(entry.id);
  });

  it('differs for another record at the same coordinates (a recreated topic)', () => {
    const id = deadLetterId(envelope());
    const others = [
      envelope({ timestamp: '1700000000001' }),
      envelope({ key: Buffer.from('tweet-2') }),
      envelope({ key: null }),
      envelope({ key: Buffer.alloc(0) }),
      envelope({ value: Buffer.from([0x00, 0xff, 0x10, 0x81]) }),
      envelope({ value: null }),
      envelope({ headers: { traceparent: Buffer.from(traceparent) } }),
      envelope({ headers: { traceparent: Buffer.from(traceparent), binary: Buffer.from([0xc3]) } }),
      // The same bytes moved between fields must not collide.
      envelope({ key: Buffer.from('tweet-1\u0000'), value: Buffer.from([0xff, 0x10, 0x80]) }),
    ];
    const ids = others.map(deadLetterId);
    for (const other of ids) {
      expect(other).toMatch(/^tweets:3:1234-[0-9a-f]{12}$/);
      expect(other).not.toBe(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps a header named __proto__ as data', () => {
    // fromEntries defines an own property, as a header decoder with own-property semantics does.
    const hostile = envelope({ headers: Object.fromEntries([['__proto__', Buffer.from('p')]]) });
    const entry = toDeadLetterEntry(hostile, new PoisonMessageError('NOT_AVRO', 'x'), 1, undefined, 0);
    expect(Object.keys(entry.headers)).toEqual(['__proto__']);
    expect(Object.keys(JSON.parse(JSON.stringify(entry)).headers)).toEqual(['__proto__']);
    expect(Object.keys(originalRecord(entry).headers)).toEqual(['__proto__']);
  });
});

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
      id: expect.stringMatching(/^tweets:3:1234-[0-9a-f]{12}$/),
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
