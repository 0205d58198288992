/** The pipeline stage where a failure happened; recorded with every dead letter. */
export type Stage =
  'ingest' | 'decode' | 'validate' | 'infer' | 'encode' | 'produce' | 'dlq' | 'config' | 'model';

export interface EmotionStreamErrorOptions {
  code: string;
  stage: Stage;
  /** True when trying again later may succeed (an outage); false for poison input. */
  retriable: boolean;
  cause?: unknown;
}

/** Base class of every error emotion-stream raises on purpose: a stable code, a stage, a retriable flag. */
export class EmotionStreamError extends Error {
  readonly code: string;
  readonly stage: Stage;
  readonly retriable: boolean;

  constructor(message: string, options: EmotionStreamErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.stage = options.stage;
    this.retriable = options.retriable;
  }
}
