import { terminalSafeJson, type PagedTable } from './dlq-format';

export interface PagedOutputOptions<T> {
  /** One JSON array written element by element instead of the table. */
  json?: boolean;
  /** Rows to print at most. @defaultValue all */
  limit?: number;
  /** Rows read per call of `read`. */
  pageSize: number;
  table: PagedTable<T>;
}

/**
 * Prints rows a page at a time — `read(start, end)` with inclusive indexes — so memory holds one
 * page however many rows there are. Returns how many rows it printed.
 */
export async function printPages<T>(
  read: (start: number, end: number) => Promise<T[]>,
  options: PagedOutputOptions<T>,
): Promise<number> {
  const limit = options.limit ?? Infinity;
  let shown = 0;
  if (options.json) process.stdout.write('[');
  while (shown < limit) {
    const size = Math.min(options.pageSize, limit - shown);
    const page = await read(shown, shown + size - 1);
    if (page.length === 0) break;
    if (options.json) {
      const elements = page.map((row) => terminalSafeJson(row)).join(',');
      process.stdout.write(shown === 0 ? elements : `,${elements}`);
    } else {
      process.stdout.write(`${options.table.page(page)}\n`);
    }
    shown += page.length;
    if (page.length < size) break;
  }
  if (options.json) process.stdout.write(']\n');
  return shown;
}
