import avro from 'avsc';

// avsc decodes strings leniently: invalid UTF-8 turns into U+FFFD and the original bytes are gone.
// The fast path only looks for U+FFFD in what was decoded (a legitimate U+FFFD is rare); when one shows
// up, the payload is decoded again with a twin of the writer schema whose strings are `bytes` (the same
// binary encoding) and each of those byte strings is checked strictly.

const REPLACEMENT = '\uFFFD';

/** True when any string inside a decoded Avro value (record, array, map keys and values) holds U+FFFD. */
export function containsReplacementChar(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(REPLACEMENT);
  if (Array.isArray(value)) return value.some(containsReplacementChar);
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(REPLACEMENT) || containsReplacementChar(item)) return true;
    }
  }
  return false;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

type SchemaNode = avro.schema.AvroSchema | avro.schema.RecordType['fields'][number]['type'];

/**
 * The writer schema with every string (map keys included) turned into bytes. A map is encoded exactly like
 * an array of (key, value) pairs, so it becomes an array of records; defaults and logical types are dropped
 * because only the writer's layout matters here.
 */
function bytesTwin(node: SchemaNode, counter: { next: number }): unknown {
  if (node === 'string') return 'bytes';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map((branch) => bytesTwin(branch, counter));
  const complex = node as unknown as Record<string, unknown>;
  switch (complex.type) {
    case 'string':
      return 'bytes';
    case 'record':
    case 'error': {
      const fields = complex.fields as Array<{ name: string; type: SchemaNode }>;
      return {
        type: 'record',
        name: complex.name,
        namespace: complex.namespace,
        fields: fields.map((field) => ({ name: field.name, type: bytesTwin(field.type, counter) })),
      };
    }
    case 'array':
      return { type: 'array', items: bytesTwin(complex.items as SchemaNode, counter) };
    case 'map':
      return {
        type: 'array',
        items: {
          type: 'record',
          name: `Utf8CheckMapEntry${counter.next++}`,
          namespace: 'io.emotionstream.utf8check',
          fields: [
            { name: 'key', type: 'bytes' },
            { name: 'value', type: bytesTwin(complex.values as SchemaNode, counter) },
          ],
        },
      };
    default: {
      // Primitives written as objects, enums, fixed: unchanged, minus any logical type.
      const { logicalType: _logicalType, ...rest } = complex;
      return rest;
    }
  }
}

function findInvalid(value: unknown, path: string): string | undefined {
  if (Buffer.isBuffer(value)) return isValidUtf8(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findInvalid(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findInvalid(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Finds strings that are not valid UTF-8 in payloads written with one writer schema. */
export class Utf8Checker {
  private readonly twin: avro.Type;

  constructor(writerType: avro.Type) {
    this.twin = avro.Type.forSchema(bytesTwin(writerType.schema() as SchemaNode, { next: 0 }) as avro.Schema);
  }

  /** The path of the first field holding invalid UTF-8 (e.g. `text`, `attributes[0].key`), or undefined. */
  firstInvalidField(payload: Buffer): string | undefined {
    const { value, offset } = this.twin.decode(payload, 0);
    if (offset < 0) return undefined;
    return findInvalid(value, '');
  }
}
