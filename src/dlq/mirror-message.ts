import type { DeadLetterEntry } from './dead-letter-entry';

/** What a mirror message holds: the entry, minus the bytes that did not fit (those stay in Redis). */
export interface MirrorBody extends Partial<DeadLetterEntry> {
  id: string;
  /** Set when `value` was left out; the full entry is in Redis (`emotion-stream dlq show <id>`). */
  valueTruncated?: true;
  /** Size of the original value in bytes (decoded), given whenever `value` is left out. */
  valueBytes?: number;
  /** The entry fields left out to fit the limit, in the order they were dropped. */
  omitted?: string[];
  /** How to read the full entry, given whenever something was left out. */
  fullEntry?: string;
}

export interface MirrorMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Record and header framing a Kafka record adds around key and value (generous upper bound). */
const FRAMING_BYTES = 128;
/** The error message is clipped to this many characters when even the entry without bytes is too big. */
const MESSAGE_CLIP = 1_000;

const base64Bytes = (value: string | null | undefined): number =>
  value ? Buffer.byteLength(value, 'base64') : 0;

function sizeOf(message: MirrorMessage): number {
  let size = FRAMING_BYTES + Buffer.byteLength(message.key) + Buffer.byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers))
    size += Buffer.byteLength(name) + Buffer.byteLength(value);
  return size;
}

/**
 * The JSON mirror message of an entry, never bigger than `maxBytes`: the original bytes are base64
 * inside JSON (a third bigger than the record itself), so a large poison record would otherwise make
 * a message the broker refuses on every try. Fields are dropped largest-first — value, headers,
 * key, then the error message is clipped — and the message says what was left out and where the full
 * entry is. Throws only if the entry's id alone cannot fit, which a sane limit never meets.
 */
export function mirrorMessage(entry: DeadLetterEntry, maxBytes: number): MirrorMessage {
  const headers = { code: entry.code, stage: entry.stage };
  const build = (body: MirrorBody): MirrorMessage => ({
    key: entry.id,
    value: JSON.stringify(body),
    headers,
  });
  let body: MirrorBody = { ...entry };
  let message = build(body);
  const omitted: string[] = [];
  const steps: Array<(current: MirrorBody) => MirrorBody> = [
    ({ value, ...rest }) => ({ ...rest, valueTruncated: true, valueBytes: base64Bytes(value) }),
    ({ headers: _headers, ...rest }) => rest,
    ({ key: _key, ...rest }) => rest,
    (current) => ({ ...current, message: (current.message ?? '').slice(0, MESSAGE_CLIP) }),
  ];
  const names = ['value', 'headers', 'key', 'message (clipped)'];
  for (let step = 0; step < steps.length && sizeOf(message) > maxBytes; step += 1) {
    omitted.push(names[step]);
    body = {
      ...steps[step](body),
      omitted: [...omitted],
      fullEntry: `the full entry with the original bytes is in Redis: emotion-stream dlq show ${entry.id}`,
    };
    message = build(body);
  }
  if (sizeOf(message) > maxBytes) {
    message = build({
      id: entry.id,
      code: entry.code,
      stage: entry.stage,
      omitted: ['everything but id, code, stage'],
    });
  }
  if (sizeOf(message) > maxBytes)
    throw new Error(
      `a dead-letter mirror message cannot fit in ${maxBytes} bytes (entry id ${entry.id.length} chars)`,
    );
  return message;
}
