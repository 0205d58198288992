import { Option } from 'commander';
import { EmotionStreamError } from '../core';

/** Line formats of the commands that read one text per line (classify, tokenize). */
export type TextLineFormat = 'auto' | 'text' | 'jsonl';
export const TEXT_LINE_FORMATS: readonly TextLineFormat[] = ['auto', 'text', 'jsonl'];

/**
 * The text of one input line: the line itself (`text`), the `text` field of a JSON object
 * (`jsonl`), or whichever fits (`auto`: a line that parses as a JSON object with a string `text`
 * is JSONL, anything else is plain text). Throws a per-line error in `jsonl` mode.
 */
export function textOfLine(line: string, format: TextLineFormat, lineNumber: number): string {
  if (format === 'text') return line;
  const trimmed = line.trimStart();
  if (format === 'auto' && !trimmed.startsWith('{')) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    if (format === 'auto') return line;
    throw new EmotionStreamError(`line ${lineNumber}: not JSON (${(error as Error).message})`, {
      code: 'INPUT_INVALID',
      stage: 'validate',
      retriable: false,
    });
  }
  const text =
    typeof parsed === 'object' && parsed !== null ? (parsed as { text?: unknown }).text : undefined;
  if (typeof text === 'string') return text;
  if (format === 'auto') return line;
  throw new EmotionStreamError(`line ${lineNumber}: no string "text" field`, {
    code: 'INPUT_INVALID',
    stage: 'validate',
    retriable: false,
  });
}

/** `--format` of the commands that read one text per line (classify, tokenize). */
export function inputFormatOption(): Option {
  return new Option(
    '--format <format>',
    'input format: auto (JSON objects with "text" are JSONL, other lines are text), text or jsonl',
  )
    .choices(TEXT_LINE_FORMATS)
    .default('auto');
}
