import type avro from 'avsc';
import { PoisonMessageError } from '../core';

// avsc reads an array or map by looping over the item count the bytes *claim*, and allocates an array of
// that size first: a 16-byte record claiming 4e9 items freezes the event loop for hours. Before avsc sees a
// payload, this walks it along the writer schema and checks every claim against the bytes that remain:
// each item of an array or map takes at least its type's smallest encoding, so `count * minBytes` must fit.
// Items that can take zero bytes (null, records of nulls) get a per-record cap instead. A payload that
// passes is read by avsc with work and memory bounded by its length.

/** Most zero-byte items (nulls, empty records) one record may hold across all its arrays. */
export const MAX_ZERO_BYTE_ITEMS = 65_536;
/** Deepest nesting of records (recursive schemas) one record may use; avsc itself would overflow the stack. */
export const MAX_NESTING_DEPTH = 256;
// The Avro spec encodes a long in at most 10 bytes; longer varints are not Avro.
const MAX_VARINT_BYTES = 10;

interface Cursor {
  readonly buf: Buffer;
  pos: number;
  zeroByteItems: number;
  depth: number;
}

type Walk = (cursor: Cursor) => void;

const remaining = (cursor: Cursor): number => cursor.buf.length - cursor.pos;

function truncated(cursor: Cursor, what: string): PoisonMessageError {
  return new PoisonMessageError(
    'TRUNCATED_AVRO',
    `Avro value of ${cursor.buf.length} bytes ends inside ${what} (at byte ${cursor.pos})`,
  );
}

function malformed(cursor: Cursor, what: string): PoisonMessageError {
  return new PoisonMessageError('NOT_AVRO', `${what} at byte ${cursor.pos}: not valid Avro`);
}

/** A zig-zag varint, decoded exactly as avsc's Tap.readLong does (doubles past 28 bits). */
function readLong(cursor: Cursor, what: string): number {
  const { buf } = cursor;
  const start = cursor.pos;
  let value = 0;
  let scale = 1;
  let byte: number;
  do {
    if (cursor.pos >= buf.length) throw truncated(cursor, what);
    if (cursor.pos - start >= MAX_VARINT_BYTES) throw malformed(cursor, `${what} is a varint over 10 bytes`);
    byte = buf[cursor.pos++];
    value += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte & 0x80);
  return value % 2 ? -(value + 1) / 2 : value / 2;
}

function skip(cursor: Cursor, bytes: number, what: string): void {
  if (bytes > remaining(cursor)) throw truncated(cursor, what);
  cursor.pos += bytes;
}

function lengthPrefixed(what: string): Walk {
  return (cursor) => {
    const length = readLong(cursor, `the length of ${what}`);
    if (length < 0) throw malformed(cursor, `${what} has a negative length (${length})`);
    skip(cursor, length, what);
  };
}

/** Checks one block's item count against the bytes left; returns nothing, throws the poison. */
function checkBlock(cursor: Cursor, count: number, minItemBytes: number, what: string): void {
  if (minItemBytes > 0) {
    if (count * minItemBytes > remaining(cursor)) {
      throw new PoisonMessageError(
        'AVRO_CLAIMS_EXCEED_BYTES',
        `${what} claims ${count} items of at least ${minItemBytes} byte(s) each, but only ${remaining(cursor)} bytes remain`,
      );
    }
    return;
  }
  cursor.zeroByteItems += count;
  if (cursor.zeroByteItems > MAX_ZERO_BYTE_ITEMS) {
    throw new PoisonMessageError(
      'AVRO_CLAIMS_EXCEED_BYTES',
      `${what} claims ${cursor.zeroByteItems} zero-byte items in one record; the limit is ${MAX_ZERO_BYTE_ITEMS}`,
    );
  }
}

/** Array and map blocks: `count, items…` repeated until a 0 count; a negative count is followed by the block's byte size. */
function blocks(item: Walk, minItemBytes: number, what: string): Walk {
  return (cursor) => {
    for (;;) {
      let count = readLong(cursor, `the block count of ${what}`);
      if (count === 0) return;
      if (count < 0) {
        count = -count;
        const size = readLong(cursor, `the block size of ${what}`);
        if (size < 0) throw malformed(cursor, `${what} has a block of negative size (${size})`);
        if (size > remaining(cursor)) {
          throw new PoisonMessageError(
            'AVRO_CLAIMS_EXCEED_BYTES',
            `${what} claims a block of ${size} bytes, but only ${remaining(cursor)} bytes remain`,
          );
        }
      }
      checkBlock(cursor, count, minItemBytes, what);
      for (let i = 0; i < count; i++) item(cursor);
    }
  };
}

interface Compiled {
  walk: Walk;
  /** The fewest bytes a value of the type can take (a lower bound for recursive types). */
  minBytes: number;
}

type AnyType = avro.Type & {
  typeName: string;
  fields?: Array<{ name: string; type: avro.Type }>;
  itemsType?: avro.Type;
  valuesType?: avro.Type;
  types?: avro.Type[];
  size?: number;
  underlyingType?: avro.Type;
};

/** Builds the walks of a schema once; named types are compiled once, so recursive schemas terminate. */
class ClaimCheckCompiler {
  private readonly records = new Map<avro.Type, Compiled>();

  compile(type: AnyType, path: string): Compiled {
    const what = path || 'the record';
    switch (type.typeName) {
      case 'null':
        return { walk: () => undefined, minBytes: 0 };
      case 'boolean':
        return { walk: (cursor) => skip(cursor, 1, what), minBytes: 1 };
      case 'int':
      case 'long':
      case 'abstract:long':
      case 'enum':
        return { walk: (cursor) => void readLong(cursor, what), minBytes: 1 };
      case 'float':
        return { walk: (cursor) => skip(cursor, 4, what), minBytes: 4 };
      case 'double':
        return { walk: (cursor) => skip(cursor, 8, what), minBytes: 8 };
      case 'string':
      case 'bytes':
        return { walk: lengthPrefixed(what), minBytes: 1 };
      case 'fixed': {
        const size = type.size ?? 0;
        return { walk: (cursor) => skip(cursor, size, what), minBytes: size };
      }
      case 'union:unwrapped':
      case 'union:wrapped':
        return this.union(type.types ?? [], what);
      case 'record':
      case 'error':
        return this.record(type, path);
      case 'array': {
        const item = this.compile(type.itemsType as AnyType, `${what}[]`);
        return { walk: blocks(item.walk, item.minBytes, what), minBytes: 1 };
      }
      case 'map': {
        const key = lengthPrefixed(`a key of ${what}`);
        const value = this.compile(type.valuesType as AnyType, `${what}{}`);
        const entry: Walk = (cursor) => {
          key(cursor);
          value.walk(cursor);
        };
        return { walk: blocks(entry, 1 + value.minBytes, what), minBytes: 1 };
      }
      default:
        if (type.typeName.startsWith('logical:') && type.underlyingType) {
          return this.compile(type.underlyingType as AnyType, path);
        }
        throw new Error(`no claim check for Avro type ${type.typeName}`);
    }
  }

  private union(types: avro.Type[], what: string): Compiled {
    const branches = types.map((branch) => this.compile(branch as AnyType, what));
    const walk: Walk = (cursor) => {
      const index = readLong(cursor, `the union index of ${what}`);
      const branch = branches[index];
      if (branch === undefined) throw malformed(cursor, `${what} names union branch ${index}`);
      branch.walk(cursor);
    };
    return { walk, minBytes: 1 + Math.min(...branches.map((branch) => branch.minBytes)) };
  }

  private record(type: AnyType, path: string): Compiled {
    const known = this.records.get(type);
    if (known) return known;
    // Registered before its fields are compiled: a field of the record's own type finds this entry
    // (minBytes 0 is a safe lower bound while the fields are unknown).
    const compiled: Compiled = { walk: () => undefined, minBytes: 0 };
    this.records.set(type, compiled);
    const fields = (type.fields ?? []).map((field) =>
      this.compile(field.type as AnyType, path ? `${path}.${field.name}` : field.name),
    );
    compiled.minBytes = fields.reduce((sum, field) => sum + field.minBytes, 0);
    const name = type.name ?? 'record';
    compiled.walk = (cursor) => {
      if (++cursor.depth > MAX_NESTING_DEPTH) {
        throw malformed(cursor, `${name} nests deeper than ${MAX_NESTING_DEPTH} records`);
      }
      for (const field of fields) field.walk(cursor);
      cursor.depth -= 1;
    };
    return compiled;
  }
}

/** Checks a payload of one writer schema; returns where the record ends. */
export type ClaimCheck = (payload: Buffer) => number;

/**
 * Compiles the claim check of `writerType`: a function that walks a payload as avsc would read it and
 * throws PoisonMessageError — AVRO_CLAIMS_EXCEED_BYTES (an array or map claims more items than its bytes
 * can hold), TRUNCATED_AVRO (it ends inside a value) or NOT_AVRO (a negative length, a union branch that
 * does not exist) — before avsc loops or allocates. Work is linear in the payload's length.
 */
export function compileClaimCheck(writerType: avro.Type): ClaimCheck {
  const { walk } = new ClaimCheckCompiler().compile(writerType as AnyType, '');
  return (payload) => {
    const cursor: Cursor = { buf: payload, pos: 0, zeroByteItems: 0, depth: 0 };
    walk(cursor);
    return cursor.pos;
  };
}
