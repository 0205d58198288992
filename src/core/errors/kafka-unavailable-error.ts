import { EmotionStreamError } from './emotion-stream-error';
import type { TransientErrorOptions } from './transient-error-options';

/** The Kafka broker could not be reached or did not answer in time. Transient: retried, never dead-lettered at once. */
export class KafkaUnavailableError extends EmotionStreamError {
  constructor(message: string, options: TransientErrorOptions = {}) {
    super(message, {
      code: 'KAFKA_UNAVAILABLE',
      stage: options.stage ?? 'produce',
      retriable: true,
      cause: options.cause,
    });
  }
}
