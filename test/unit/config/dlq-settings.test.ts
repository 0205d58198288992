import { dlqSettingsFromEnv } from '../../../src/config/dlq-settings';
import { ConfigError } from '../../../src/core';

describe('dlqSettingsFromEnv', () => {
  it('has documented defaults', () => {
    expect(dlqSettingsFromEnv({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      queueName: 'emotion-stream-dlq',
      mirrorTopic: undefined,
      mirrorMaxBytes: 1_000_000,
      kafkaBrokers: ['127.0.0.1:9092'],
      redisTimeoutMs: 2000,
      maxAttempts: 5,
      retryBaseDelayMs: 200,
      retryMaxDelayMs: 5000,
    });
  });

  it('reads every variable and treats empty as unset', () => {
    const settings = dlqSettingsFromEnv({
      REDIS_URL: 'redis://redis:6380/2',
      DLQ_QUEUE: 'my-dlq',
      DLQ_TOPIC: 'tweets.dlq',
      DLQ_MIRROR_MAX_BYTES: '500000',
      KAFKA_BROKERS: 'a:9092, b:9092',
      DLQ_REDIS_TIMEOUT_MS: '500',
      RETRY_MAX_ATTEMPTS: '3',
      RETRY_BASE_DELAY_MS: '',
    });
    expect(settings).toMatchObject({
      redisUrl: 'redis://redis:6380/2',
      queueName: 'my-dlq',
      mirrorTopic: 'tweets.dlq',
      mirrorMaxBytes: 500_000,
      kafkaBrokers: ['a:9092', 'b:9092'],
      redisTimeoutMs: 500,
      maxAttempts: 3,
      retryBaseDelayMs: 200,
    });
  });

  it('names each invalid variable', () => {
    expect(() => dlqSettingsFromEnv({ REDIS_URL: 'localhost:6379', RETRY_MAX_ATTEMPTS: '0' })).toThrow(
      ConfigError,
    );
    expect(() => dlqSettingsFromEnv({ REDIS_URL: 'localhost:6379', RETRY_MAX_ATTEMPTS: '0' })).toThrow(
      /REDIS_URL[\s\S]*RETRY_MAX_ATTEMPTS/,
    );
    expect(() => dlqSettingsFromEnv({ DLQ_QUEUE: 'bad:name' })).toThrow(/DLQ_QUEUE/);
  });
});
