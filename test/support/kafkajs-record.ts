import type { KafkaMessage } from 'kafkajs';

// The bytes of one Kafka record (v2 format) read back through kafkajs' own record decoder: the exact
// object shapes the consumer hands to eachBatch, prototype-named headers included. Internal kafkajs
// modules, pinned with kafkajs itself (package.json).
/* eslint-disable @typescript-eslint/no-require-imports */
const Encoder = require('kafkajs/src/protocol/encoder') as new () => KafkajsEncoder;
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder') as (
  decoder: unknown,
  batchContext: Record<string, unknown>,
) => KafkaMessage;
/* eslint-enable @typescript-eslint/no-require-imports */

interface KafkajsEncoder {
  writeInt8(value: number): KafkajsEncoder;
  writeVarInt(value: number): KafkajsEncoder;
  writeVarLong(value: bigint | number | string): KafkajsEncoder;
  writeVarIntBytes(value: Buffer | null): KafkajsEncoder;
  writeVarIntString(value: string): KafkajsEncoder;
  writeVarIntArray(array: KafkajsEncoder[]): KafkajsEncoder;
  buffer: Buffer;
}

/** One header as it sits on the wire: names repeat freely, values may be null. */
export interface WireHeader {
  name: string;
  value: Buffer | null;
}

export interface WireRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: WireHeader[];
  /** The batch's first timestamp (epoch ms, any 64-bit value as a decimal string). @defaultValue '0' */
  firstTimestamp?: string;
  /** This record's delta from it. @defaultValue 0 */
  timestampDelta?: number;
}

/** The record as kafkajs decodes it from the wire (offset 0 of a batch starting at offset 0). */
export function kafkajsMessage(record: WireRecord): KafkaMessage {
  const body = new Encoder()
    .writeInt8(0)
    .writeVarLong(record.timestampDelta ?? 0)
    .writeVarInt(0)
    .writeVarIntBytes(record.key)
    .writeVarIntBytes(record.value)
    .writeVarIntArray(
      record.headers.map((header) =>
        new Encoder().writeVarIntString(header.name).writeVarIntBytes(header.value),
      ),
    ).buffer;
  return decodeRecord(new Decoder(body), {
    firstOffset: '0',
    firstTimestamp: record.firstTimestamp ?? '0',
    magicByte: 2,
    timestampType: 0,
  });
}
