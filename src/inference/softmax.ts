import type { EmotionResult } from '../core';

/** Numerically stable softmax of one row of logits (computed in float64). */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i += 1) max = Math.max(max, logits[i]);
  const exps = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i] - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / sum);
}

/** Turns a [batch, labels] logits matrix into one typed result per row. */
export function toEmotionResults(logits: Float32Array, labels: readonly string[]): EmotionResult[] {
  const width = labels.length;
  const rows = logits.length / width;
  const results: EmotionResult[] = [];
  for (let row = 0; row < rows; row += 1) {
    const probabilities = softmax(logits.subarray(row * width, (row + 1) * width));
    let best = 0;
    const scores: Record<string, number> = {};
    probabilities.forEach((p, i) => {
      scores[labels[i]] = p;
      if (p > probabilities[best]) best = i;
    });
    results.push({ label: labels[best], score: probabilities[best], scores });
  }
  return results;
}
