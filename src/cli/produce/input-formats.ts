import type { Tweet } from '../../core';
import { ConfigError } from '../../core';

/** Line formats `produce` reads; `text` means what it means for classify and tokenize (one text a line). */
export const TWEET_FILE_FORMATS = ['auto', 'text', 'jsonl', 'dair'] as const;
export type TweetFileFormat = (typeof TWEET_FILE_FORMATS)[number];
export type ConcreteFormat = Exclude<TweetFileFormat, 'auto'>;

/** `plain`, the name `produce` used before `text`, is still accepted. */
export function tweetFileFormat(name: string): TweetFileFormat {
  return name === 'plain' ? 'text' : (name as TweetFileFormat);
}

/** One tweet read from a line: whatever it carried; the source fills in a missing id and timestamp. */
export interface TweetDraft {
  tweet: Partial<Tweet> & { text: string };
  /** The dair-ai label (or JSONL `label`), when the line has one. */
  label?: string;
}

// The dair-ai/emotion export: `text;label_name` (or `text;label`) header, then `some text;joy`.
const dairHeader = /^text;label(_name)?$/i;
const dairLine = /;(sadness|joy|love|anger|fear|surprise|[0-5])$/;

/** Guesses the format from the first non-blank line. */
export function detectFormat(firstLine: string): ConcreteFormat {
  const line = firstLine.trim();
  if (line.startsWith('{')) {
    try {
      JSON.parse(line);
      return 'jsonl';
    } catch {
      // Prose that happens to start with a brace.
    }
  }
  if (dairHeader.test(line) || dairLine.test(line)) return 'dair';
  return 'text';
}

export const isDairHeader = (line: string): boolean => dairHeader.test(line.trim());

type Json = Record<string, unknown>;

function optionalString(record: Json, names: string[], lineNo: number): string | null {
  for (const name of names) {
    const value = record[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw new ConfigError(`line ${lineNo}: "${name}" must be a string`);
    return value;
  }
  return null;
}

function timestampOf(value: unknown, lineNo: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string') {
    const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isSafeInteger(parsed)) return parsed;
  }
  throw new ConfigError(`line ${lineNo}: created_at must be epoch milliseconds or an ISO-8601 date`);
}

function stringArray(value: unknown, name: string, lineNo: number): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new ConfigError(`line ${lineNo}: "${name}" must be an array of strings`);
}

function stringMap(value: unknown, name: string, lineNo: number): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === 'string')
  ) {
    return value as Record<string, string>;
  }
  throw new ConfigError(`line ${lineNo}: "${name}" must be an object of strings`);
}

/** `{text, id?, created_at?, lang?, user_id?, user_name?, source?, hashtags?, attributes?, label?}` (camelCase accepted too). */
function parseJsonLine(line: string, lineNo: number): TweetDraft {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    throw new ConfigError(`line ${lineNo}: not valid JSON (${(error as Error).message})`);
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record))
    throw new ConfigError(`line ${lineNo}: expected a JSON object`);
  const json = record as Json;
  if (typeof json.text !== 'string') throw new ConfigError(`line ${lineNo}: "text" (a string) is required`);
  const id = json.id === undefined || json.id === null ? undefined : String(json.id);
  const createdAt = timestampOf(json.created_at ?? json.createdAt, lineNo);
  const label = optionalString(json, ['label', 'label_name'], lineNo) ?? undefined;
  return {
    tweet: {
      text: json.text,
      ...(id === undefined ? {} : { id }),
      ...(createdAt === undefined ? {} : { createdAt }),
      lang: optionalString(json, ['lang'], lineNo),
      userId: optionalString(json, ['user_id', 'userId'], lineNo),
      userName: optionalString(json, ['user_name', 'userName'], lineNo),
      source: optionalString(json, ['source'], lineNo),
      hashtags: stringArray(json.hashtags, 'hashtags', lineNo),
      attributes: stringMap(json.attributes, 'attributes', lineNo),
    },
    ...(label === undefined ? {} : { label }),
  };
}

/**
 * One line -> one draft, or undefined for a line to skip (blank lines in text and dair files, the dair
 * header). JSONL lines are taken as they are, even with an empty text: a way to publish poison on purpose.
 */
export function parseLine(format: ConcreteFormat, line: string, lineNo: number): TweetDraft | undefined {
  switch (format) {
    case 'jsonl':
      return line.trim() === '' ? undefined : parseJsonLine(line, lineNo);
    case 'dair': {
      if (line.trim() === '' || isDairHeader(line)) return undefined;
      const cut = line.lastIndexOf(';');
      if (cut < 0) return { tweet: { text: line } };
      return { tweet: { text: line.slice(0, cut) }, label: line.slice(cut + 1).trim() };
    }
    case 'text':
      return line.trim() === '' ? undefined : { tweet: { text: line } };
  }
}
