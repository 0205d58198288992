import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ConfigError } from '../core';

/**
 * The lines of a file, or of stdin when `file` is undefined or "-". Every line counts, empty ones
 * included; "\r\n" endings are stripped; a final newline does not add an empty line.
 */
export async function* readInputLines(file?: string): AsyncGenerator<string> {
  let input: NodeJS.ReadableStream = process.stdin;
  if (file !== undefined && file !== '-') {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new ConfigError(`input file ${file} does not exist or is not a file`);
    input = createReadStream(file, { encoding: 'utf8' });
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) yield line;
}

/** Collects lines into arrays of `size` (the last one may be shorter). */
export async function* chunked<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Writes to stdout, waiting when its buffer is full (a slow pipe must not grow memory). */
export async function writeStdout(text: string): Promise<void> {
  if (!process.stdout.write(text))
    await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
}
