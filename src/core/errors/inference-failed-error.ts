import { EmotionStreamError } from './emotion-stream-error';
import type { TransientErrorOptions } from './transient-error-options';

/**
 * The inference runtime failed on a batch (a crashed worker thread, an ONNX runtime error).
 * Transient: the same input usually succeeds on a fresh session, so it is retried before being
 * dead-lettered.
 */
export class InferenceFailedError extends EmotionStreamError {
  constructor(message: string, options: TransientErrorOptions = {}) {
    super(message, {
      code: 'INFERENCE_FAILED',
      stage: options.stage ?? 'infer',
      retriable: true,
      cause: options.cause,
    });
  }
}
