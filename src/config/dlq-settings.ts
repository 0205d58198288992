import { z } from 'zod';
import { ConfigError } from '../core';

/**
 * Settings of the dead-letter queue, the retries and `emotion-stream dlq`, read from the environment.
 * Every default is documented here and in `emotion-stream dlq --help`.
 */
export interface DlqSettings {
  /** Redis holding the dead letters. @defaultValue `redis://127.0.0.1:6379` (`REDIS_URL`) */
  redisUrl: string;
  /** BullMQ queue name of the dead letters; the retry queue is `<queueName>-retry`. @defaultValue `emotion-stream-dlq` (`DLQ_QUEUE`) */
  queueName: string;
  /** Kafka topic every dead letter is mirrored to; unset = no mirror. @defaultValue none (`DLQ_TOPIC`) */
  mirrorTopic: string | undefined;
  /** Largest mirror message; bigger entries leave their bytes out (they stay in Redis). @defaultValue 1000000 (`DLQ_MIRROR_MAX_BYTES`) */
  mirrorMaxBytes: number;
  /** Bootstrap brokers for replay and the mirror. @defaultValue `127.0.0.1:9092` (`KAFKA_BROKERS`) */
  kafkaBrokers: string[];
  /** How long one Redis operation may take before it counts as "Redis unavailable". @defaultValue 2000 (`DLQ_REDIS_TIMEOUT_MS`) */
  redisTimeoutMs: number;
  /** Attempts of a transiently failing message before it is dead-lettered. @defaultValue 5 (`RETRY_MAX_ATTEMPTS`) */
  maxAttempts: number;
  /** First backoff delay ceiling; doubles each attempt, with half jitter (core/retry-policy.ts). @defaultValue 200 (`RETRY_BASE_DELAY_MS`) */
  retryBaseDelayMs: number;
  /** Longest backoff delay. @defaultValue 5000 (`RETRY_MAX_DELAY_MS`) */
  retryMaxDelayMs: number;
}

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  DLQ_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only')
    .default('emotion-stream-dlq'),
  DLQ_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'a Kafka topic name')
    .optional(),
  DLQ_MIRROR_MAX_BYTES: z.coerce.number().int().min(1024).default(1_000_000),
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  DLQ_REDIS_TIMEOUT_MS: positiveInt(2000),
  RETRY_MAX_ATTEMPTS: positiveInt(5),
  RETRY_BASE_DELAY_MS: positiveInt(200),
  RETRY_MAX_DELAY_MS: positiveInt(5000),
});

/** Parses the dead-letter settings; an empty variable counts as unset. Throws ConfigError naming the variable. */
export function dlqSettingsFromEnv(env: Record<string, string | undefined>): DlqSettings {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(`invalid dead-letter settings: ${problems}`);
  }
  const s = parsed.data;
  return {
    redisUrl: s.REDIS_URL,
    queueName: s.DLQ_QUEUE,
    mirrorTopic: s.DLQ_TOPIC,
    mirrorMaxBytes: s.DLQ_MIRROR_MAX_BYTES,
    kafkaBrokers: s.KAFKA_BROKERS.split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
    redisTimeoutMs: s.DLQ_REDIS_TIMEOUT_MS,
    maxAttempts: s.RETRY_MAX_ATTEMPTS,
    retryBaseDelayMs: s.RETRY_BASE_DELAY_MS,
    retryMaxDelayMs: s.RETRY_MAX_DELAY_MS,
  };
}
