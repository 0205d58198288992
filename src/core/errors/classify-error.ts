import { redactText } from '../redact';
import { EmotionStreamError, type Stage } from './emotion-stream-error';
import { KafkaUnavailableError } from './kafka-unavailable-error';
import { RedisUnavailableError } from './redis-unavailable-error';
import { RegistryUnavailableError } from './registry-unavailable-error';
import { UnexpectedError } from './unexpected-error';

// core imports no client library, so foreign errors are recognised by their shape (name, message,
// errno code) rather than by instanceof.
const kafkaOutageNames = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
]);
const redisOutageMessage =
  /Stream isn't writeable|Connection is closed|enableOfflineQueue|Command timed out|max retries per request|Reached the max retries/i;
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface ErrorShape {
  name: string;
  message: string;
  code?: unknown;
  retriable?: unknown;
}

function shapeOf(error: unknown): ErrorShape {
  if (error instanceof Error) return error as Error & ErrorShape;
  return { name: typeof error, message: String(error) };
}

/** A bare network failure is blamed on the service the stage talks to. */
function outageFor(stage: Stage, message: string, cause: unknown): EmotionStreamError {
  if (stage === 'dlq') return new RedisUnavailableError(message, { stage, cause });
  if (stage === 'decode') return new RegistryUnavailableError(message, { stage, cause });
  return new KafkaUnavailableError(message, { stage, cause });
}

/**
 * Maps anything thrown inside a stage to the error taxonomy: an EmotionStreamError is returned as
 * it is; Kafka, Redis and network outages become their transient classes; everything else is an
 * UnexpectedError (a bug: retried up to the attempt limit, then dead-lettered). The original error
 * is kept as `cause`.
 */
export function classifyError(error: unknown, stage: Stage): EmotionStreamError {
  if (error instanceof EmotionStreamError) return error;
  const shape = shapeOf(error);
  // A foreign message may quote a URL with its credentials; it becomes a log line and a dead letter's reason.
  const message = redactText(`${shape.name}: ${shape.message}`);
  if (shape.name.startsWith('KafkaJS')) {
    if (kafkaOutageNames.has(shape.name) || shape.retriable === true) {
      return new KafkaUnavailableError(message, { stage, cause: error });
    }
    return new UnexpectedError(message, stage, error);
  }
  if (shape.name === 'MaxRetriesPerRequestError' || redisOutageMessage.test(shape.message)) {
    return new RedisUnavailableError(message, { stage, cause: error });
  }
  if (typeof shape.code === 'string' && networkCodes.has(shape.code)) return outageFor(stage, message, error);
  return new UnexpectedError(message, stage, error);
}
