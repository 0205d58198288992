import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromPackageRoot } from '../../src/config/package-root';
import { parseLabelledText } from '../../src/inference/evaluation';

export interface BenchTexts {
  /** Where they came from. */
  file: string;
  texts: string[];
}

/**
 * The tweet texts the benchmark sends: the dair-ai validation split when ../shared is present
 * (EMOTION_DATA_DIR, default <repo>/../shared/data/emotion), else the bundled demo sample. Callers
 * repeat them (round robin) to reach N.
 */
export function loadBenchTexts(explicitFile?: string): BenchTexts {
  const dataDir = process.env.EMOTION_DATA_DIR ?? fromPackageRoot('..', 'shared', 'data', 'emotion');
  const candidates = explicitFile
    ? [path.resolve(explicitFile)]
    : [path.join(dataDir, 'val.txt'), fromPackageRoot('samples', 'demo-tweets.txt')];
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`no tweet texts: none of ${candidates.join(', ')} exists`);
  const content = readFileSync(file, 'utf8');
  const texts = /^text;label/.test(content)
    ? parseLabelledText(content, file).map((entry) => entry.text)
    : content.split('\n').filter((line) => line.trim() !== '');
  if (texts.length === 0) throw new Error(`no tweet texts in ${file}`);
  return { file, texts };
}

/** The i-th text of a round-robin repetition of `texts`. */
export const textAt = (texts: readonly string[], i: number): string => texts[i % texts.length];
