import type { DeadLetterEntry, RetryJob } from '../dlq';

// Ids, codes, messages and headers come from records an attacker may write: never let their bytes
// drive the operator's terminal. C0/C1 controls (ESC starts ANSI sequences; 0x9B is a one-byte CSI),
// DEL, line/paragraph separators and bidi overrides ("Trojan Source") are shown as escapes.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// JSON.stringify already escapes U+0000..U+001F; the rest of UNSAFE it leaves as is.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const unicodeEscape = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
const shortEscapes: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

/** `text` with every terminal-controlling character written as an escape (`\n`, `\u001b`, ...). */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (char) => shortEscapes[char] ?? unicodeEscape(char));
}

/** JSON.stringify whose output is also safe on a terminal (still valid JSON, same value when parsed). */
export function terminalSafeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, unicodeEscape);
}

interface Column<T> {
  title: string;
  cell: (row: T) => string;
  max: number;
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const oneLine = (text: string): string => escapeControl(text.replace(/[ \t\r\n]+/g, ' '));

const entryColumns: Array<Column<DeadLetterEntry>> = [
  { title: 'ID', cell: (e) => escapeControl(e.id), max: 120 },
  { title: 'CODE', cell: (e) => escapeControl(e.code), max: 22 },
  { title: 'STAGE', cell: (e) => escapeControl(e.stage), max: 10 },
  { title: 'ATTEMPTS', cell: (e) => String(e.attempts), max: 8 },
  { title: 'LAST FAILURE', cell: (e) => escapeControl(e.lastFailedAt), max: 24 },
  { title: 'MESSAGE', cell: (e) => oneLine(e.message), max: 70 },
];

const retryColumns: Array<Column<RetryJob>> = [
  { title: 'ID', cell: (j) => escapeControl(j.id), max: 120 },
  { title: 'STATE', cell: (j) => j.state, max: 8 },
  { title: 'CODE', cell: (j) => escapeControl(j.code), max: 22 },
  { title: 'TRIES', cell: (j) => String(j.attempts + j.attemptsMade), max: 5 },
  { title: 'LAST ERROR', cell: (j) => oneLine(j.failedReason ?? j.message), max: 70 },
];

/**
 * A fixed-width table printed a page at a time (`dlq list` streams): the header comes with the first
 * page, and a column only ever widens, so pages line up unless a later one has a wider cell.
 */
export class PagedTable<T> {
  private widths: number[] | undefined;

  constructor(private readonly columns: ReadonlyArray<Column<T>>) {}

  /** The lines of one page (with the header before the first one), joined by newlines. */
  page(rows: readonly T[]): string {
    const cells = rows.map((row) => this.columns.map((column) => clip(column.cell(row), column.max)));
    const first = this.widths === undefined;
    this.widths = this.columns.map((column, i) =>
      Math.max(this.widths?.[i] ?? column.title.length, ...cells.map((row) => row[i].length)),
    );
    const widths = this.widths;
    const line = (values: string[]) =>
      values
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    const lines = cells.map(line);
    return (first ? [line(this.columns.map((column) => column.title)), ...lines] : lines).join('\n');
  }
}

export const entryTable = (): PagedTable<DeadLetterEntry> => new PagedTable(entryColumns);
export const retryTable = (): PagedTable<RetryJob> => new PagedTable(retryColumns);

/** A fixed-width table of entries for `dlq list`. */
export function formatEntryTable(entries: DeadLetterEntry[]): string {
  return entryTable().page(entries);
}

/** Header values as text when they are valid UTF-8, else left base64 (`show` output). */
export function decodedHeaders(entry: DeadLetterEntry): Record<string, string | string[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (value: string): string => {
    try {
      return decoder.decode(Buffer.from(value, 'base64'));
    } catch {
      return `base64:${value}`;
    }
  };
  // fromEntries: a header named `__proto__` stays a header. Repeated names keep every value.
  return Object.fromEntries(
    Object.entries(entry.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map(decode) : decode(value),
    ]),
  );
}
