import { parseSettings, pick, type SettingValues } from './setting';
import { DEAD_LETTER_SETTINGS, KAFKA_CONNECTION_SETTINGS } from './worker-settings';

/**
 * Settings of the dead-letter queue, the retries and `emotion-stream dlq`, from the rows of
 * DEAD_LETTER_SETTINGS (worker-settings.ts holds every default and description).
 */
export interface DlqSettings {
  /** Redis holding the dead letters (`REDIS_URL`). */
  redisUrl: string;
  /** BullMQ queue name of the dead letters; the retry queue is `<queueName>-retry` (`DLQ_QUEUE`). */
  queueName: string;
  /** Kafka topic every dead letter is mirrored to; unset = no mirror (`DLQ_TOPIC`). */
  mirrorTopic: string | undefined;
  /** Largest mirror message; bigger entries leave their bytes out (they stay in Redis) (`DLQ_MIRROR_MAX_BYTES`). */
  mirrorMaxBytes: number;
  /** Bootstrap brokers for replay and the mirror (`KAFKA_BROKERS`). */
  kafkaBrokers: string[];
  /** How long one Redis operation may take before it counts as "Redis unavailable" (`DLQ_REDIS_TIMEOUT_MS`). */
  redisTimeoutMs: number;
  /** Attempts of a transiently failing message before it is dead-lettered (`RETRY_MAX_ATTEMPTS`). */
  maxAttempts: number;
  /** First backoff delay ceiling; doubles each attempt, with half jitter (`RETRY_BASE_DELAY_MS`). */
  retryBaseDelayMs: number;
  /** Longest backoff delay (`RETRY_MAX_DELAY_MS`). */
  retryMaxDelayMs: number;
}

const TABLE = { ...DEAD_LETTER_SETTINGS, ...pick(KAFKA_CONNECTION_SETTINGS, ['KAFKA_BROKERS']) };

/** The dead-letter settings out of parsed rows (the worker's, or the dead-letter table's own). */
export function deadLetterSettingsFrom(values: SettingValues<typeof TABLE>): DlqSettings {
  return {
    redisUrl: values.REDIS_URL,
    queueName: values.DLQ_QUEUE,
    mirrorTopic: values.DLQ_TOPIC,
    mirrorMaxBytes: values.DLQ_MIRROR_MAX_BYTES,
    kafkaBrokers: values.KAFKA_BROKERS,
    redisTimeoutMs: values.DLQ_REDIS_TIMEOUT_MS,
    maxAttempts: values.RETRY_MAX_ATTEMPTS,
    retryBaseDelayMs: values.RETRY_BASE_DELAY_MS,
    retryMaxDelayMs: values.RETRY_MAX_DELAY_MS,
  };
}

/** Parses only the dead-letter settings (for `emotion-stream dlq`); one ConfigError names every invalid one. */
export function dlqSettingsFromEnv(env: Record<string, string | undefined>): DlqSettings {
  return deadLetterSettingsFrom(parseSettings(TABLE, env, [], 'dead-letter settings'));
}
