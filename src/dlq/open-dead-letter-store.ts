import type { Redis } from 'ioredis';
import type { Kafka, Producer } from 'kafkajs';
import type { DlqSettings } from '../config/dlq-settings';
import { classifyError, ConfigError, type EmotionStreamError } from '../core';
import { BullmqDeadLetterStore } from './bullmq-dead-letter-store';
import type { DeadLetterEntry } from './dead-letter-entry';
import { KafkaDeadLetterMirror } from './dead-letter-mirror';
import { createFailFastRedis } from './redis-client';

export interface OpenedDeadLetterStore {
  store: BullmqDeadLetterStore;
  /** The store's fail-fast Redis client (e.g. for reading the retry queue); closed by close(). */
  connection: Redis;
  /** Closes the store, its Redis client and the mirror's producer, each even if another fails. */
  close(): Promise<void>;
}

/**
 * Builds the dead-letter store from settings: a fail-fast Redis client, the BullMQ queue and, when
 * `mirrorTopic` is set, a Kafka mirror on its own idempotent producer, made from `kafka` (the
 * caller's client, so the mirror uses the same brokers, TLS and SASL settings as everything else).
 */
export async function openDeadLetterStore(
  settings: Pick<DlqSettings, 'redisUrl' | 'queueName' | 'redisTimeoutMs' | 'mirrorTopic'> &
    Partial<Pick<DlqSettings, 'mirrorMaxBytes'>>,
  onRedisError?: (error: Error) => void,
  kafka?: Kafka,
  onMirrorFailure?: (entry: DeadLetterEntry, error: EmotionStreamError) => void,
): Promise<OpenedDeadLetterStore> {
  if (settings.mirrorTopic && !kafka) {
    throw new ConfigError(`DLQ_TOPIC=${settings.mirrorTopic}: the dead-letter mirror needs a Kafka client`);
  }
  const redis = createFailFastRedis(settings.redisUrl, {
    timeoutMs: settings.redisTimeoutMs,
    onError: onRedisError,
  });
  let producer: Producer | undefined;
  if (settings.mirrorTopic && kafka) {
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
    });
    try {
      await producer.connect();
    } catch (error) {
      redis.disconnect();
      throw classifyError(error, 'produce');
    }
  }
  const store = new BullmqDeadLetterStore({
    connection: redis,
    queueName: settings.queueName,
    timeoutMs: settings.redisTimeoutMs,
    mirror:
      producer && settings.mirrorTopic
        ? new KafkaDeadLetterMirror(producer, settings.mirrorTopic, settings.mirrorMaxBytes)
        : undefined,
    onMirrorFailure,
  });
  return {
    store,
    connection: redis,
    close: async () => {
      // Disconnecting Redis first lets a queue that never connected close at once instead of waiting
      // for a connection that is not coming; the queue has nothing to flush on close.
      const cleanups = [
        async () => redis.disconnect(),
        () => store.close(),
        async () => producer?.disconnect(),
      ];
      for (const cleanup of cleanups) {
        try {
          await cleanup();
        } catch {
          // Shutting down: a failed close must not keep the others open.
        }
      }
    },
  };
}
