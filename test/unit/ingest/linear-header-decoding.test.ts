import fc from 'fast-check';
import { useLinearHeaderDecoding } from '../../../src/ingest/linear-header-decoding';
import { toEnvelope } from '../../../src/ingest/to-envelope';
import { fuzzOptions } from '../../support/fuzz-runs';
import { kafkajsMessage, type WireHeader } from '../../support/kafkajs-record';

const headerList = fc.array(
  fc.record({
    name: fc.oneof(
      fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype), 'a', 'b'),
      fc.string({ maxLength: 4 }),
    ),
    value: fc.option(
      fc.uint8Array({ maxLength: 4 }).map((bytes) => Buffer.from(bytes)),
      { nil: null },
    ),
  }),
  { maxLength: 12 },
);

const decode = (headers: WireHeader[]) => kafkajsMessage({ key: null, value: null, headers });

function decodeMillis(headers: WireHeader[]): number {
  const started = process.hrtime.bigint();
  decode(headers);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const distinct = (count: number): WireHeader[] =>
  Array.from({ length: count }, (_, i) => ({ name: `h${i}`, value: Buffer.from('x') }));

// One test: the patch is process-wide, so kafkajs' own results are taken first.
test('kafkajs decodes headers in linear time once patched, into the headers it would have built', () => {
  const samples = fc.sample(headerList, fuzzOptions(300).numRuns);
  const before = samples.map((headers) => toEnvelope('t', 0, decode(headers)).headers);

  useLinearHeaderDecoding();
  useLinearHeaderDecoding();
  samples.forEach((headers, index) => {
    const message = decode(headers);
    expect(toEnvelope('t', 0, message).headers).toEqual(before[index]);
    // No inherited artefacts: every own value is a Buffer, null or an array of those.
    for (const value of Object.values(message.headers ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) {
        expect(item === null || Buffer.isBuffer(item)).toBe(true);
      }
    }
  });

  // Linear: 16 times the headers take about 16 times as long (quadratic would be about 256 times).
  // Ratios from one run, each side the best of three, after a warm-up.
  decodeMillis(distinct(2_000));
  const best = (count: number) => Math.min(...[0, 1, 2].map(() => decodeMillis(distinct(count))));
  const small = best(2_000);
  const large = best(32_000);
  expect(large / small).toBeLessThan(64);
});
