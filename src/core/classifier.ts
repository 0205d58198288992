import type { EmotionResult, ModelInfo } from './emotion';

/**
 * The contract every stage that needs emotions depends on. Implementations batch, run the
 * model off the event loop and return results in input order; an item that fails yields an
 * Error in its slot without failing the others.
 */
export interface Classifier {
  readonly model: ModelInfo;
  classify(texts: readonly string[]): Promise<Array<EmotionResult | Error>>;
  close(): Promise<void>;
}
