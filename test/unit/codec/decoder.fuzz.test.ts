import fc from 'fast-check';
import { createCodec, type Codec } from '../../../src/codec';
import { PoisonMessageError, POISON_CODES, type Tweet } from '../../../src/core';
import { avroString, tweetHead, varint } from '../../support/avro-bombs';
import { envelopeOf } from '../../support/envelope';
import { fuzzOptions } from '../../support/fuzz-runs';
import { rawTweet, sampleTweet } from '../../support/poison-samples';

// The hostile-input suite, codec part: whatever bytes a value holds, decoding either returns a tweet or
// throws a classified PoisonMessageError, and the work avsc does is bounded by the value's size (every
// varint avsc reads — lengths, counts, union indexes, numbers — is counted; nothing is timed).

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tap } = require('avsc/lib/utils') as { Tap: { prototype: { readLong: () => number } } };

type Outcome = { tweet: Tweet } | { code: string };

let codec: Codec;
beforeAll(async () => {
  codec = await createCodec({ inputTopic: 'in', outputTopic: 'out' });
});
afterEach(() => jest.restoreAllMocks());

/** Decodes `value`; fails the property on anything but a tweet or poison, or on unbounded work. */
async function decodeBounded(value: Buffer): Promise<Outcome> {
  const varints = jest.spyOn(Tap.prototype, 'readLong');
  varints.mockClear();
  let outcome: Outcome;
  try {
    outcome = { tweet: await codec.decoder.decode(envelopeOf(value)) };
  } catch (error) {
    if (!(error instanceof PoisonMessageError)) throw new Error(`not poison: ${String(error)}`);
    expect(POISON_CODES).toContain(error.code);
    expect(error.retriable).toBe(false);
    outcome = { code: error.code };
  }
  // Each varint takes at least one byte; the payload is read at most three times (the decode, the
  // strict UTF-8 check, the Confluent-frame-in-raw-mode check).
  expect(varints.mock.calls.length).toBeLessThanOrEqual(3 * (value.length + 1));
  varints.mockRestore();
  return outcome;
}

const text = fc.string({ minLength: 1, maxLength: 40 }).filter((value) => value.trim() !== '');
const tweetArbitrary = fc.record({
  id: text,
  text,
  createdAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  lang: fc.option(fc.string({ maxLength: 5 }), { nil: null }),
  userId: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
  userName: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
  source: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
  hashtags: fc.array(fc.string({ maxLength: 8 }), { maxLength: 6 }),
  attributes: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 4 }),
});

/** Ways a producer (or an attacker) can damage a valid record. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    kind: fc.constant('inflate' as const),
    at: fc.nat(),
    // A varint spliced over the byte at `at`: a length or block count that claims far more.
    claim: fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n })),
  }),
);

type MutationValue = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(valid: Buffer, change: MutationValue): Buffer {
  const at = 'at' in change ? change.at % valid.length : 0;
  switch (change.kind) {
    case 'truncate':
      return valid.subarray(0, at);
    case 'extend':
      return Buffer.concat([valid, Buffer.from(change.bytes)]);
    case 'flip': {
      const flipped = Buffer.from(valid);
      flipped[at] ^= change.mask;
      return flipped;
    }
    case 'inflate':
      return Buffer.concat([valid.subarray(0, at), varint(change.claim), valid.subarray(at + 1)]);
  }
}

describe('hostile input: the raw Avro decoder', () => {
  it('random bytes decode or are classified poison, with bounded work', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        await decodeBounded(Buffer.from(bytes));
      }),
      fuzzOptions(300),
    );
  });

  it('valid tweets round-trip; truncated, extended, flipped and inflated ones decode or are poison', async () => {
    await fc.assert(
      fc.asyncProperty(tweetArbitrary, mutation, async (fields, change) => {
        const tweet = sampleTweet(fields);
        const valid = rawTweet(tweet);
        expect(await decodeBounded(valid)).toEqual({ tweet });
        const outcome = await decodeBounded(mutate(valid, change));
        if (change.kind === 'truncate') expect(outcome).toHaveProperty('code');
        if (change.kind === 'extend') expect(outcome).toEqual({ code: 'TRAILING_BYTES' });
      }),
      fuzzOptions(300),
    );
  });

  it('an array or map count beyond the bytes left is AVRO_CLAIMS_EXCEED_BYTES, whatever follows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.uint8Array({ maxLength: 40 }),
        fc.oneof(fc.integer({ min: 41, max: 2 ** 31 }), fc.bigInt({ min: 2n ** 31n, max: 2n ** 62n })),
        fc.boolean(),
        async (map, tail, count, negative) => {
          // A negative count is followed by the block's byte size, here one that fits.
          const claim = negative
            ? Buffer.concat([varint(-BigInt(count)), varint(tail.length)])
            : varint(count);
          const value = Buffer.concat([
            tweetHead('bomb'),
            map ? varint(0) : Buffer.alloc(0),
            claim,
            Buffer.from(tail),
          ]);
          expect(await decodeBounded(value)).toEqual({ code: 'AVRO_CLAIMS_EXCEED_BYTES' });
        },
      ),
      fuzzOptions(300),
    );
  });

  it('rejects the 4e9-item bomb with no avsc work at all', async () => {
    const bomb = Buffer.concat([tweetHead('b'), varint(4e9), avroString('x')]);
    const varints = jest.spyOn(Tap.prototype, 'readLong');
    await expect(codec.decoder.decode(envelopeOf(bomb))).rejects.toMatchObject({
      code: 'AVRO_CLAIMS_EXCEED_BYTES',
    });
    expect(varints).not.toHaveBeenCalled();
  });
});
