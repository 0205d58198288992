/** What the classifier says about one text: softmax scores for every label plus the winner. */
export interface EmotionResult {
  /** The label with the highest score (one of the model's labels, from its config.json). */
  label: string;
  score: number;
  /** Softmax probability for every label of the model. */
  scores: Record<string, number>;
}

/** Identifies the model that produced a result (written into every enriched event). */
export interface ModelInfo {
  name: string;
  version: string;
  labels: readonly string[];
  /** Languages the model reads (lowercase primary subtags), from config.json; undefined when it does not say. */
  languages?: readonly string[];
}
