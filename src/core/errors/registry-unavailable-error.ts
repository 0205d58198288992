import { EmotionStreamError } from './emotion-stream-error';
import type { TransientErrorOptions } from './transient-error-options';

/**
 * The schema registry could not be reached or answered 5xx. Transient — unlike an unknown schema
 * id (poison), which the registry answered with a definite "no such schema".
 */
export class RegistryUnavailableError extends EmotionStreamError {
  constructor(message: string, options: TransientErrorOptions = {}) {
    super(message, {
      code: 'REGISTRY_UNAVAILABLE',
      stage: options.stage ?? 'decode',
      retriable: true,
      cause: options.cause,
    });
  }
}
