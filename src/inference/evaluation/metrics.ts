/** Precision, recall and F1 of one class (0 where undefined, as scikit-learn's zero_division=0). */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** True examples of this class. */
  support: number;
}

export interface EvaluationMetrics {
  labels: readonly string[];
  perClass: ClassMetrics[];
  /** confusion[t][p]: examples of true label t predicted as p (label order); a last column counts failed predictions. */
  confusion: number[][];
  accuracy: number;
  macroF1: number;
  n: number;
  /** Examples whose prediction failed (counted as wrong). */
  failed: number;
}

/**
 * Scores predictions against the truth. `predicted[i]` is a label, or null when classifying that
 * example failed (it counts as wrong for every metric).
 */
export function evaluatePredictions(
  labels: readonly string[],
  truth: readonly string[],
  predicted: ReadonlyArray<string | null>,
): EvaluationMetrics {
  if (truth.length !== predicted.length)
    throw new RangeError(`${truth.length} truths but ${predicted.length} predictions`);
  const index = new Map(labels.map((label, i) => [label, i]));
  const confusion = labels.map(() => new Array<number>(labels.length + 1).fill(0));
  let correct = 0;
  let failed = 0;
  truth.forEach((label, i) => {
    const t = index.get(label);
    if (t === undefined) throw new RangeError(`unknown true label ${JSON.stringify(label)}`);
    const guess = predicted[i];
    const p = guess === null ? labels.length : index.get(guess);
    if (p === undefined) throw new RangeError(`unknown predicted label ${JSON.stringify(guess)}`);
    if (guess === null) failed += 1;
    confusion[t][p] += 1;
    if (p === t) correct += 1;
  });
  const perClass = labels.map((label, k) => {
    const tp = confusion[k][k];
    const support = confusion[k].reduce((a, b) => a + b, 0);
    const predictedAsK = confusion.reduce((sum, row) => sum + row[k], 0);
    const precision = predictedAsK === 0 ? 0 : tp / predictedAsK;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
  const n = truth.length;
  return {
    labels,
    perClass,
    confusion,
    accuracy: n === 0 ? 0 : correct / n,
    macroF1: perClass.length === 0 ? 0 : perClass.reduce((sum, c) => sum + c.f1, 0) / perClass.length,
    n,
    failed,
  };
}
