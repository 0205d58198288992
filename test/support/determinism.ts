import type { EmotionResult } from '../../src/core';
import { readLabelledFile } from '../../src/inference/evaluation';
import { VALIDATION_SPLIT_PATH } from './validation-split';

// Shared by the determinism tests (issue 17): a seeded sample of validation texts and the comparison of a
// text's result on some path against the same text classified alone.

/** Largest difference allowed between two scores of the same text. */
export const SCORE_TOLERANCE = 1e-4;

/** mulberry32: a small seeded generator, so a failure replays exactly. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** `count` validation texts in a seeded random order (the same ones on every run). */
export async function validationSample(count: number): Promise<string[]> {
  const examples = await readLabelledFile(VALIDATION_SPLIT_PATH);
  return shuffled(examples, seeded(17))
    .slice(0, count)
    .map((example) => example.text);
}

/** Every text whose label or any score moved against its result alone, worst first, as readable lines. */
export function differences(
  alone: readonly EmotionResult[],
  found: ReadonlyMap<number, Pick<EmotionResult, 'label' | 'scores'> | Error>,
): string[] {
  const moved: Array<{ line: string; diff: number }> = [];
  for (const [text, other] of found) {
    if (other instanceof Error) {
      moved.push({ line: `text ${text} failed: ${other.message}`, diff: Infinity });
      continue;
    }
    const reference = alone[text];
    const diff = Math.max(
      ...Object.keys(reference.scores).map((label) =>
        Math.abs(reference.scores[label] - other.scores[label]),
      ),
    );
    if (other.label !== reference.label || !(diff <= SCORE_TOLERANCE)) {
      moved.push({
        line: `text ${text}: alone ${reference.label}, here ${other.label}, max score diff ${diff.toExponential(2)}`,
        diff,
      });
    }
  }
  return moved.sort((a, b) => b.diff - a.diff).map((m) => m.line);
}
