import { EmotionStreamError } from './emotion-stream-error';
import type { TransientErrorOptions } from './transient-error-options';

/**
 * Redis (the dead-letter / retry store) did not acknowledge a command in time: refused, closed,
 * timed out. Transient: the pipeline stops committing and pauses until Redis answers again.
 */
export class RedisUnavailableError extends EmotionStreamError {
  constructor(message: string, options: TransientErrorOptions = {}) {
    super(message, {
      code: 'REDIS_UNAVAILABLE',
      stage: options.stage ?? 'dlq',
      retriable: true,
      cause: options.cause,
    });
  }
}
