import {
  fitToTopic,
  recordBytes,
  splitBySize,
  RECORD_BATCH_OVERHEAD,
  type SizedRecord,
} from '../../../src/core/record-size';

// kafkajs' own v2 record encoder (what goes on the wire): the estimate must never be below it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
}) => { buffer: Buffer };

describe('recordBytes', () => {
  it.each([
    ['empty', { key: '', value: Buffer.alloc(0) }],
    [
      'a tweet',
      { key: 'tweet-1', value: Buffer.alloc(300, 1), headers: { traceparent: '00-'.padEnd(55, 'a') } },
    ],
    [
      '64 KiB',
      { key: 'k'.repeat(40), value: Buffer.alloc(65_536, 7), headers: { a: Buffer.alloc(1000), b: 'ü' } },
    ],
    [
      '1 MB, many headers',
      {
        key: 'x',
        value: Buffer.alloc(1_000_000),
        headers: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`h${i}`, Buffer.alloc(300)])),
      },
    ],
  ] as Array<[string, SizedRecord]>)(
    'is an upper bound of the encoded size (%s), and a close one',
    (_name, record) => {
      // The widest deltas a batch of many records could use.
      const encoded = encodeRecord({
        ...record,
        offsetDelta: 2 ** 31 - 1,
        timestampDelta: Number.MAX_SAFE_INTEGER,
      });
      const estimate = recordBytes(record);
      expect(estimate).toBeGreaterThanOrEqual(encoded.buffer.length);
      expect(estimate - encoded.buffer.length).toBeLessThanOrEqual(
        40 + 10 * Object.keys(record.headers ?? {}).length,
      );
    },
  );
});

describe('splitBySize', () => {
  const size = (n: number) => n;
  it('keeps order and puts as much in each group as fits', () => {
    expect(splitBySize([4, 3, 3, 5, 1, 10, 2], 10, size)).toEqual([[4, 3, 3], [5, 1], [10], [2]]);
  });

  it('gives an item over the limit a group of its own, and nothing for nothing', () => {
    expect(splitBySize([2, 30, 2], 10, size)).toEqual([[2], [30], [2]]);
    expect(splitBySize([], 10, size)).toEqual([]);
  });

  it('never makes a group over the limit unless it holds one item (random sizes)', () => {
    for (let round = 0; round < 200; round += 1) {
      const items = Array.from({ length: 50 }, () => Math.floor(Math.random() * 40));
      const groups = splitBySize(items, 64, size);
      expect(groups.flat()).toEqual(items);
      for (const group of groups) {
        if (group.length > 1) expect(group.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(64);
      }
    }
  });
});

describe('fitToTopic', () => {
  it("lowers the configured limit to the topic's max.message.bytes less the batch header", () => {
    expect(fitToTopic(1_000_000, undefined)).toBe(1_000_000);
    expect(fitToTopic(1_000_000, 1_048_588)).toBe(1_000_000);
    expect(fitToTopic(1_000_000, 200_000)).toBe(200_000 - RECORD_BATCH_OVERHEAD);
  });
});
