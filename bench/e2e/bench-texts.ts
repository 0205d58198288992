import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLabelledText } from '../../src/inference/evaluation';
import { VALIDATION_SPLIT_PATH } from '../../test/support/validation-split';

export interface BenchTexts {
  /** Where they came from. */
  file: string;
  texts: string[];
}

/**
 * The tweet texts the benchmark sends: the dair-ai validation split (the test fixture, or
 * $EMOTION_DATA_DIR/val.txt), or the file given. Callers repeat them (round robin) to reach N.
 */
export function loadBenchTexts(explicitFile?: string): BenchTexts {
  const file = explicitFile ? path.resolve(explicitFile) : VALIDATION_SPLIT_PATH;
  if (!existsSync(file)) throw new Error(`no tweet texts: ${file} does not exist`);
  const content = readFileSync(file, 'utf8');
  const texts = /^text;label/.test(content)
    ? parseLabelledText(content, file).map((entry) => entry.text)
    : content.split('\n').filter((line) => line.trim() !== '');
  if (texts.length === 0) throw new Error(`no tweet texts in ${file}`);
  return { file, texts };
}

/** The i-th text of a round-robin repetition of `texts`. */
export const textAt = (texts: readonly string[], i: number): string => texts[i % texts.length];
