import avro from 'avsc';
import { createCodec, type Codec } from '../../../src/codec';
import { compileClaimCheck, MAX_NESTING_DEPTH, MAX_ZERO_BYTE_ITEMS } from '../../../src/codec/claim-check';
import { PoisonMessageError } from '../../../src/core';
import { avroBombSamples, avroString, tweetHead, varint } from '../../support/avro-bombs';
import { envelopeOf } from '../../support/envelope';
import { rawTweet } from '../../support/poison-samples';

// Every avsc type reads through its prototype's _read: counting the calls of the string reader measures
// how much work avsc did, without timing anything.
const stringReads = () => jest.spyOn(Object.getPrototypeOf(avro.Type.forSchema('string')), '_read');

function rejection(check: () => unknown): PoisonMessageError {
  try {
    check();
  } catch (error) {
    if (error instanceof PoisonMessageError) return error;
    throw new Error(`expected a PoisonMessageError, got ${String(error)}`);
  }
  throw new Error('expected a rejection, but the payload passed');
}

describe('claim check before avsc decodes', () => {
  let codec: Codec;
  beforeAll(async () => {
    codec = await createCodec({ inputTopic: 'in', outputTopic: 'out' });
  });
  afterEach(() => jest.restoreAllMocks());

  it.each(avroBombSamples().map((sample) => [sample.kind, sample]))(
    'rejects a tweet whose %s as AVRO_CLAIMS_EXCEED_BYTES without avsc reading an item',
    async (_kind, sample) => {
      const reads = stringReads();
      const error = await codec.decoder.decode(envelopeOf(sample.value)).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(PoisonMessageError);
      expect((error as PoisonMessageError).code).toBe('AVRO_CLAIMS_EXCEED_BYTES');
      expect((error as PoisonMessageError).retriable).toBe(false);
      expect(reads).not.toHaveBeenCalled();
    },
  );

  it('the bombs are small: a 4e9-item claim fits in under 30 bytes', () => {
    expect(avroBombSamples()[0].value?.length).toBeLessThan(30);
  });

  it('accepts arrays and maps whose counts their bytes really hold (several blocks, negative counts)', async () => {
    const hashtags = Array.from({ length: 500 }, (_, i) => `h${i}`);
    const decoded = await codec.decoder.decode(envelopeOf(rawTweet({ hashtags, attributes: { a: '1' } })));
    expect(decoded.hashtags).toEqual(hashtags);
    // Blocks written with negative counts (and their byte sizes), as Java's block encoder may.
    const block = Buffer.concat([avroString('x'), avroString('y')]);
    const value = Buffer.concat([
      tweetHead('blocks'),
      varint(-2),
      varint(block.length),
      block,
      varint(1),
      avroString('z'),
      varint(0),
      varint(0),
    ]);
    expect((await codec.decoder.decode(envelopeOf(value))).hashtags).toEqual(['x', 'y', 'z']);
  });

  it('does work linear in the payload for the largest array its bytes can hold', async () => {
    const count = 10_000;
    const items = Buffer.concat(Array.from({ length: count }, () => avroString('')));
    const value = Buffer.concat([tweetHead('many'), varint(count), items, varint(0), varint(0)]);
    const reads = stringReads();
    expect((await codec.decoder.decode(envelopeOf(value))).hashtags).toHaveLength(count);
    // id, text, the items (strings of zero length take one byte each), in the decode and nothing more.
    expect(reads.mock.calls.length).toBeLessThanOrEqual(value.length);
  });

  it('caps zero-byte items (arrays of null) per record', () => {
    const check = compileClaimCheck(
      avro.Type.forSchema({
        type: 'record',
        name: 'Nulls',
        fields: [{ name: 'items', type: { type: 'array', items: 'null' } }],
      }),
    );
    expect(check(Buffer.concat([varint(MAX_ZERO_BYTE_ITEMS), varint(0)]))).toBe(
      varint(MAX_ZERO_BYTE_ITEMS).length + 1,
    );
    const error = rejection(() => check(Buffer.concat([varint(4e9), varint(0)])));
    expect(error.code).toBe('AVRO_CLAIMS_EXCEED_BYTES');
    // Many blocks, each under the cap, add up.
    const blocks = Buffer.concat([varint(MAX_ZERO_BYTE_ITEMS), varint(1), varint(0)]);
    expect(rejection(() => check(blocks)).code).toBe('AVRO_CLAIMS_EXCEED_BYTES');
  });

  it('bounds nesting of recursive schemas', () => {
    const check = compileClaimCheck(
      avro.Type.forSchema({
        type: 'record',
        name: 'Node',
        fields: [{ name: 'next', type: ['null', 'Node'] }],
      }),
    );
    // Each level is union index 1 (zig-zag 2); the innermost is null (index 0).
    expect(check(Buffer.concat([Buffer.alloc(10, 2), Buffer.from([0])]))).toBe(11);
    const deep = Buffer.concat([Buffer.alloc(MAX_NESTING_DEPTH + 1, 2), Buffer.from([0])]);
    expect(rejection(() => check(deep)).code).toBe('NOT_AVRO');
  });

  it('rejects negative lengths, missing union branches and over-long varints as NOT_AVRO', () => {
    const check = compileClaimCheck(
      avro.Type.forSchema({
        type: 'record',
        name: 'R',
        fields: [
          { name: 's', type: 'string' },
          { name: 'u', type: ['null', 'int'] },
        ],
      }),
    );
    expect(rejection(() => check(Buffer.concat([varint(-3), Buffer.from('abc')]))).code).toBe('NOT_AVRO');
    expect(rejection(() => check(Buffer.concat([avroString('a'), varint(5)]))).code).toBe('NOT_AVRO');
    expect(rejection(() => check(Buffer.alloc(12, 0xff))).code).toBe('NOT_AVRO');
    expect(rejection(() => check(Buffer.concat([avroString('a'), varint(1)]))).code).toBe('TRUNCATED_AVRO');
    expect(rejection(() => check(varint(1e9))).code).toBe('TRUNCATED_AVRO');
  });

  it('checks every Avro type of a writer schema (fixed, enum, float, double, boolean, bytes, map of records)', () => {
    const type = avro.Type.forSchema({
      type: 'record',
      name: 'Everything',
      fields: [
        { name: 'f', type: { type: 'fixed', name: 'F', size: 3 } },
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B'] } },
        { name: 'fl', type: 'float' },
        { name: 'd', type: 'double' },
        { name: 'b', type: 'boolean' },
        { name: 'by', type: 'bytes' },
        { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
        {
          name: 'm',
          type: {
            type: 'map',
            values: { type: 'record', name: 'V', fields: [{ name: 'x', type: 'double' }] },
          },
        },
      ],
    });
    const value = {
      f: Buffer.from('abc'),
      e: 'B',
      fl: 1.5,
      d: 2.5,
      b: true,
      by: Buffer.from([1, 2]),
      ts: 5,
      m: { k: { x: 1 } },
    };
    const bytes = type.toBuffer(value);
    expect(compileClaimCheck(type)(bytes)).toBe(bytes.length);
    // A map entry of the record takes at least 1 (key) + 8 (double) bytes: 2 entries cannot fit in 10.
    // The map takes the last 12 bytes: count 1, key "k" (2), the double (8), the end (0).
    const head = bytes.subarray(0, bytes.length - 12);
    const lie = Buffer.concat([head, varint(2), avroString('k'), Buffer.alloc(8)]);
    expect(rejection(() => compileClaimCheck(type)(lie)).code).toBe('AVRO_CLAIMS_EXCEED_BYTES');
  });
});
