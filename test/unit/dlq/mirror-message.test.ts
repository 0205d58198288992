import { PoisonMessageError } from '../../../src/core';
import { toDeadLetterEntry, type DeadLetterEntry } from '../../../src/dlq/dead-letter-entry';
import { mirrorMessage } from '../../../src/dlq/mirror-message';

const entryWith = (value: Buffer, headers: Record<string, Buffer> = {}, key = Buffer.from('tweet-1')) =>
  toDeadLetterEntry(
    { topic: 'tweets', partition: 0, offset: '9', timestamp: '0', key, value, headers },
    new PoisonMessageError('TEXT_TOO_LONG', 'text over 65536 bytes', { stage: 'validate' }),
    1,
    undefined,
    0,
  );
const bytesOf = (message: { key: string; value: string; headers: Record<string, string> }) =>
  Buffer.byteLength(message.key) +
  Buffer.byteLength(message.value) +
  Object.entries(message.headers).reduce(
    (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v),
    0,
  );

describe('mirrorMessage', () => {
  it('is the whole entry as JSON when it fits', () => {
    const entry = entryWith(Buffer.alloc(1000, 1));
    const message = mirrorMessage(entry, 1_000_000);
    expect(JSON.parse(message.value)).toEqual(JSON.parse(JSON.stringify(entry)));
    expect(message).toMatchObject({ key: entry.id, headers: { code: 'TEXT_TOO_LONG', stage: 'validate' } });
  });

  it('leaves the value out of a big entry and says where the bytes are', () => {
    // 900 KB of value: 1.2 MB as base64 in JSON, over the broker's default limit.
    const entry = entryWith(Buffer.alloc(900_000, 1));
    const message = mirrorMessage(entry, 1_000_000);
    expect(bytesOf(message)).toBeLessThan(1_000_000);
    const body = JSON.parse(message.value) as Partial<DeadLetterEntry> & Record<string, unknown>;
    expect(body.value).toBeUndefined();
    expect(body).toMatchObject({
      id: entry.id,
      code: 'TEXT_TOO_LONG',
      key: entry.key,
      valueTruncated: true,
      valueBytes: 900_000,
      omitted: ['value'],
      fullEntry: expect.stringContaining(`emotion-stream dlq show ${entry.id}`),
    });
  });

  it('drops headers, then the key, then clips the message until it fits', () => {
    const entry = {
      ...entryWith(Buffer.alloc(10), { big: Buffer.alloc(50_000) }, Buffer.alloc(50_000)),
      message: 'm'.repeat(50_000),
    };
    const message = mirrorMessage(entry, 10_000);
    expect(bytesOf(message)).toBeLessThanOrEqual(10_000);
    const body = JSON.parse(message.value) as Record<string, unknown>;
    expect(body.omitted).toEqual(['value', 'headers', 'key', 'message (clipped)']);
    expect(body).not.toHaveProperty('headers');
    expect(body).not.toHaveProperty('key');
    expect(body).toMatchObject({ id: entry.id, code: 'TEXT_TOO_LONG', offset: '9' });
  });
});
