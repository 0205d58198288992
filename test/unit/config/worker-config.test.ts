import path from 'node:path';
import { ConfigError } from '../../../src/core';
import {
  loadKafkaConnection,
  loadWorkerConfig,
  WORKER_SETTING_NAMES,
} from '../../../src/config/worker-config';
import { WORKER_DEAD_LETTER_SETTINGS, WORKER_SETTINGS } from '../../../src/config/worker-settings';
import { DEFAULT_MODEL_DIR } from '../../../src/config/defaults';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadWorkerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadWorkerConfig: language settings', () => {
  it('defaults to the gate on, confidence 0.2, 6 letters, latin, en', () => {
    expect(loadWorkerConfig({}).language).toEqual({
      gate: true,
      minConfidence: 0.2,
      minLetters: 6,
      undetermined: 'latin',
      modelLanguages: ['en'],
    });
  });

  it('parses and normalises them', () => {
    expect(
      loadWorkerConfig({
        LANGUAGE_GATE: 'false',
        LANGUAGE_MIN_CONFIDENCE: '0.75',
        LANGUAGE_MIN_LETTERS: '12',
        LANGUAGE_UNDETERMINED: 'skip',
        MODEL_LANGUAGES: 'en-US, EN ,pt_BR',
      }).language,
    ).toEqual({
      gate: false,
      minConfidence: 0.75,
      minLetters: 12,
      undetermined: 'skip',
      modelLanguages: ['en', 'pt'],
    });
  });

  it('names each invalid one', () => {
    const error = configError({
      LANGUAGE_GATE: 'maybe',
      LANGUAGE_MIN_CONFIDENCE: '1.5',
      LANGUAGE_MIN_LETTERS: '0',
      LANGUAGE_UNDETERMINED: 'guess',
      MODEL_LANGUAGES: 'en,und,x!',
    });
    expect(error.message).toContain('LANGUAGE_GATE');
    expect(error.message).toContain('LANGUAGE_MIN_CONFIDENCE: expected a number from 0 to 1');
    expect(error.message).toContain('LANGUAGE_MIN_LETTERS');
    expect(error.message).toContain('LANGUAGE_UNDETERMINED');
    expect(error.message).toContain('MODEL_LANGUAGES: expected language tags like en,de (not "und,x!")');
  });
});

describe('loadWorkerConfig: UNCLASSIFIED_TOPIC', () => {
  it('defaults to <OUTPUT_TOPIC>.unclassified and takes a given name', () => {
    expect(loadWorkerConfig({}).unclassifiedTopic).toBe('tweets.emotions.unclassified');
    expect(loadWorkerConfig({ OUTPUT_TOPIC: 'out' }).unclassifiedTopic).toBe('out.unclassified');
    expect(loadWorkerConfig({ UNCLASSIFIED_TOPIC: ' not-english ' }).unclassifiedTopic).toBe('not-english');
  });

  it('must differ from the input and output topics', () => {
    expect(configError({ UNCLASSIFIED_TOPIC: 'tweets' }).message).toContain(
      'UNCLASSIFIED_TOPIC: must differ from INPUT_TOPIC and OUTPUT_TOPIC (got "tweets")',
    );
    expect(configError({ OUTPUT_TOPIC: 'o', UNCLASSIFIED_TOPIC: 'o' }).message).toContain(
      'UNCLASSIFIED_TOPIC',
    );
  });
});

describe('loadWorkerConfig', () => {
  it('documents exactly the settings it parses', () => {
    const documented = [...WORKER_SETTINGS, ...WORKER_DEAD_LETTER_SETTINGS].map((setting) => setting.name);
    expect(documented.sort()).toEqual([...WORKER_SETTING_NAMES].sort());
  });

  it('gives the documented defaults for an empty environment', () => {
    const config = loadWorkerConfig({});
    expect(config).toMatchObject({
      kafka: { brokers: ['127.0.0.1:9092'], clientId: 'emotion-stream', ssl: false, sasl: undefined },
      inputTopic: 'tweets',
      outputTopic: 'tweets.emotions',
      outputPartitions: undefined,
      groupId: 'emotion-stream',
      schemaRegistryUrl: undefined,
      deadLetter: {
        redisUrl: 'redis://127.0.0.1:6379',
        queueName: 'emotion-stream-dlq',
        mirrorTopic: undefined,
        maxAttempts: 5,
        retryBaseDelayMs: 200,
        retryMaxDelayMs: 5000,
      },
      batchMaxSize: 16,
      batchMaxWaitMs: 20,
      chunkSize: 256,
      exactlyOnce: false,
      transactionalIdPrefix: 'emotion-stream',
      shutdownTimeoutMs: 30_000,
      httpPort: 9464,
      httpHost: '127.0.0.1',
      logLevel: 'info',
      maxTextBytes: 65_536,
      inputWriterSchemaPath: undefined,
    });
    expect(path.isAbsolute(config.modelDir)).toBe(true);
    expect(config.modelDir.endsWith(DEFAULT_MODEL_DIR)).toBe(true);
  });

  it('reads every kind of value', () => {
    const config = loadWorkerConfig({
      KAFKA_BROKERS: 'a:1, b:2',
      EXACTLY_ONCE: 'yes',
      OUTPUT_PARTITIONS: '12',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
      KAFKA_SSL_CA_FILE: '/ca.pem',
      MODEL_DIR: '/models/x',
      GROUP_ID: 'g',
      BATCH_MAX_SIZE: '',
      MAX_TEXT_BYTES: '1024',
      INPUT_WRITER_SCHEMA: 'schemas/older.avsc',
    });
    expect(config.maxTextBytes).toBe(1024);
    expect(config.inputWriterSchemaPath).toBe(path.resolve('schemas/older.avsc'));
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.exactlyOnce).toBe(true);
    expect(config.outputPartitions).toBe(12);
    expect(config.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
    expect(config.kafka.ssl).toEqual({
      caFile: '/ca.pem',
      certFile: undefined,
      keyFile: undefined,
      rejectUnauthorized: true,
    });
    expect(config.modelDir).toBe('/models/x');
    expect(config.transactionalIdPrefix).toBe('g');
    expect(config.batchMaxSize).toBe(16);
  });

  it('names every invalid setting in one error', () => {
    const error = configError({
      KAFKA_BROKERS: 'nohostport',
      BATCH_MAX_SIZE: '0',
      BATCH_MAX_WAIT_MS: 'soon',
      EXACTLY_ONCE: 'maybe',
      REDIS_URL: 'http://x',
      LOG_LEVEL: 'loud',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_PASSWORD: 'secret',
      INPUT_TOPIC: 'same',
      OUTPUT_TOPIC: 'same',
      MAX_TEXT_BYTES: '0',
    });
    expect(error.code).toBe('CONFIG_INVALID');
    for (const name of [
      'KAFKA_BROKERS',
      'BATCH_MAX_SIZE',
      'BATCH_MAX_WAIT_MS',
      'EXACTLY_ONCE',
      'REDIS_URL',
      'LOG_LEVEL',
      'KAFKA_SASL_MECHANISM',
      'OUTPUT_TOPIC',
      'MAX_TEXT_BYTES',
    ]) {
      expect(error.message).toContain(`${name}:`);
    }
    expect(error.message).toContain('"soon"');
    expect(error.message).not.toContain('secret');
  });
});

describe('loadKafkaConnection', () => {
  it('reads the connection like the worker and ignores worker-only settings', () => {
    const env = {
      KAFKA_BROKERS: 'a:9092, b:9093',
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
      KAFKA_SSL: 'true',
      // Invalid for the worker, irrelevant to a connection (alerts, dashboard, produce, dlq replay):
      HTTP_PORT: 'not-a-port',
      INPUT_TOPIC: 'same',
      OUTPUT_TOPIC: 'same',
    };
    expect(loadKafkaConnection(env)).toEqual({
      brokers: ['a:9092', 'b:9093'],
      clientId: 'emotion-stream',
      ssl: { caFile: undefined, certFile: undefined, keyFile: undefined, rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' },
      connectTimeoutMs: 8_000,
    });
    expect(loadWorkerConfig({ ...env, HTTP_PORT: '9464', OUTPUT_TOPIC: 'out' }).kafka).toEqual(
      loadKafkaConnection(env),
    );
  });

  it('names every invalid connection setting, without echoing the password', () => {
    let error: unknown;
    try {
      loadKafkaConnection({
        KAFKA_BROKERS: 'nohostport',
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_PASSWORD: 'secret',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('invalid Kafka settings');
    expect(message).toContain('KAFKA_BROKERS:');
    expect(message).toContain('KAFKA_SASL_MECHANISM: needs KAFKA_SASL_USERNAME');
    expect(message).not.toContain('secret');
  });
});
