// kafkajs (2.2.4) builds each consumed record's headers with
//   headers.reduce((obj, { key, value }) => ({ ...obj, [key]: … }), {})
// copying the object once per header: quadratic in the header count. A single ~100 KB record with 16 000
// distinct header names kept kafkajs' decoder busy for 166 s on this project's CI machine (1 000 names:
// 0.34 s) — inside kafkajs, before any of our per-record checks run, with heartbeats and /healthz frozen.
// Until kafkajs fixes it, the array of decoded headers gets a `reduce` that builds the same shape in one
// pass: own properties only (a header named `__proto__` or `toString` is a plain own property), a
// repeated name becomes the array of its values in order, exactly like kafkajs for every other name.

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' internal modules have no typings */
const KafkajsDecoder = require('kafkajs/src/protocol/decoder') as {
  prototype: { readVarIntArray(reader: unknown): unknown[] };
};
const kafkajsHeaderDecoder = require('kafkajs/src/protocol/recordBatch/header/v0/decoder') as unknown;
/* eslint-enable @typescript-eslint/no-require-imports */

interface DecodedHeader {
  key: string;
  value: Buffer | null;
}

/** The headers object kafkajs would build, in linear time and without inherited artefacts. */
export function headersObject(list: readonly DecodedHeader[]): Record<string, unknown> {
  const byName = new Map<string, unknown>();
  for (const { key, value } of list) {
    const previous = byName.get(key);
    if (!byName.has(key)) byName.set(key, value);
    else if (Array.isArray(previous)) previous.push(value);
    else byName.set(key, [previous, value]);
  }
  // fromEntries defines own data properties: `__proto__` stays a header, not the prototype.
  return Object.fromEntries(byName);
}

let installed = false;

/** Makes kafkajs decode record headers in linear time, process-wide; safe to call more than once. */
export function useLinearHeaderDecoding(): void {
  if (installed) return;
  installed = true;
  const original = KafkajsDecoder.prototype.readVarIntArray;
  KafkajsDecoder.prototype.readVarIntArray = function readVarIntArray(reader: unknown): unknown[] {
    const items = original.call(this, reader);
    // The record decoder's only use of the header list is `.reduce(…)` into the headers object.
    if (reader === kafkajsHeaderDecoder) {
      Object.defineProperty(items, 'reduce', { value: () => headersObject(items as DecodedHeader[]) });
    }
    return items;
  };
}
