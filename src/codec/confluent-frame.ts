import { PoisonMessageError } from '../core';

// Confluent wire format: magic byte 0, the writer schema's registry id as a big-endian int32, then
// plain Avro binary.

export const MAGIC_BYTE = 0;
export const FRAME_HEADER_BYTES = 5;

export function frameAvro(schemaId: number, payload: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  framed[0] = MAGIC_BYTE;
  framed.writeInt32BE(schemaId, 1);
  payload.copy(framed, FRAME_HEADER_BYTES);
  return framed;
}

export interface ParsedFrame {
  schemaId: number;
  payload: Buffer;
}

/** Splits a Confluent frame; anything without the magic byte and a full header is not Avro of ours. */
export function parseFrame(value: Buffer): ParsedFrame {
  if (value.length < FRAME_HEADER_BYTES) {
    throw new PoisonMessageError(
      'NOT_AVRO',
      `value of ${value.length} bytes is shorter than a Confluent frame header (5 bytes)`,
    );
  }
  if (value[0] !== MAGIC_BYTE) {
    throw new PoisonMessageError(
      'NOT_AVRO',
      `value starts with byte 0x${value[0].toString(16).padStart(2, '0')}, not the Confluent magic byte 0x00`,
    );
  }
  return { schemaId: value.readInt32BE(1), payload: value.subarray(FRAME_HEADER_BYTES) };
}
