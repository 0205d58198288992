import type { PoisonSample } from './poison-samples';

// Raw-Avro tweets whose arrays or maps claim far more items than their bytes hold: avsc alone would loop
// (and allocate) for every claimed item. Built by hand because no encoder writes a lie.

/** Avro's zig-zag varint of the whole number `n` (any size: a lie may exceed 2^53). */
export function varint(n: number | bigint): Buffer {
  const big = BigInt(n);
  let zigzag = big >= 0n ? big * 2n : -big * 2n - 1n;
  const bytes: number[] = [];
  while (zigzag >= 0x80n) {
    bytes.push(Number(zigzag & 0x7fn) | 0x80);
    zigzag >>= 7n;
  }
  bytes.push(Number(zigzag));
  return Buffer.from(bytes);
}

/** An Avro string: its length, then its UTF-8 bytes. */
export const avroString = (text: string): Buffer =>
  Buffer.concat([varint(Buffer.byteLength(text)), Buffer.from(text)]);

/** id, text, created_at and the four null unions of schemas/tweet.avsc: everything before `hashtags`. */
export const tweetHead = (id: string): Buffer =>
  Buffer.concat([avroString(id), avroString('t'), varint(1_700_000_000_000), Buffer.from([0, 0, 0, 0])]);

/** One sample per way of claiming too much; every one is AVRO_CLAIMS_EXCEED_BYTES. */
export function avroBombSamples(id = 'bomb'): PoisonSample[] {
  const code = 'AVRO_CLAIMS_EXCEED_BYTES';
  return [
    {
      kind: 'array claiming 4e9 items',
      code,
      value: Buffer.concat([tweetHead(id), varint(4e9), avroString('x')]),
    },
    {
      kind: 'map claiming 4e9 entries',
      code,
      value: Buffer.concat([tweetHead(id), varint(0), varint(4e9), avroString('k'), avroString('v')]),
    },
    {
      kind: 'array block with a negative count and a huge byte size',
      code,
      value: Buffer.concat([tweetHead(id), varint(-4e9), varint(1e12), avroString('x')]),
    },
    {
      kind: 'array block with a negative count claiming more items than its size',
      code,
      value: Buffer.concat([tweetHead(id), varint(-1e6), varint(2), avroString('x'), varint(0), varint(0)]),
    },
    {
      kind: 'second array block claiming 2^53 items',
      code,
      value: Buffer.concat([
        tweetHead(id),
        varint(1),
        avroString('x'),
        varint(2 ** 53),
        avroString('y'),
        varint(0),
        varint(0),
      ]),
    },
  ];
}
