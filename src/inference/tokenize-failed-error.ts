import { EmotionStreamError } from '../core';

/** The tokenizer threw on one text. Deterministic, so retrying the same text cannot help. */
export class TokenizeFailedError extends EmotionStreamError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'TOKENIZE_FAILED', stage: 'infer', retriable: false, cause });
  }
}
