import type { DeadLetterEntry } from '../dlq';

const columns: Array<{ title: string; cell: (entry: DeadLetterEntry) => string; max: number }> = [
  { title: 'ID', cell: (e) => e.id, max: 60 },
  { title: 'CODE', cell: (e) => e.code, max: 22 },
  { title: 'STAGE', cell: (e) => e.stage, max: 10 },
  { title: 'ATTEMPTS', cell: (e) => String(e.attempts), max: 8 },
  { title: 'LAST FAILURE', cell: (e) => e.lastFailedAt, max: 24 },
  { title: 'MESSAGE', cell: (e) => e.message.replace(/\s+/g, ' '), max: 70 },
];

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A fixed-width table of entries for `dlq list`. */
export function formatEntryTable(entries: DeadLetterEntry[]): string {
  const rows = entries.map((entry) => columns.map((column) => clip(column.cell(entry), column.max)));
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...rows.map((row) => row[i].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.title)), ...rows.map(line)].join('\n');
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
