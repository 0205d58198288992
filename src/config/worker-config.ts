import path from 'node:path';
import { deadLetterSettingsFrom, type DlqSettings } from './dlq-settings';
import type { LanguageSettings } from './language-settings';
import { unclassifiedTopicOf } from '../core';
import { fromPackageRoot } from './package-root';
import { schemaRegistryConnection, type RegistryCredentials } from './schema-registry-settings';
import { parseSettings, type SettingValues } from './setting';
import { KAFKA_CONNECTION_SETTINGS, LOG_LEVELS, WORKER_SETTING_TABLE } from './worker-settings';

/** How to reach Kafka; the same for the consumer, the producers and the admin client. */
export interface KafkaConnectionConfig {
  brokers: string[];
  clientId: string;
  ssl: { caFile?: string; certFile?: string; keyFile?: string; rejectUnauthorized: boolean } | false;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** A start fails when Kafka does not answer within this long. */
  connectTimeoutMs: number;
}

/** The worker's settings, validated once at start (worker-settings.ts is the table: every default, once). */
export interface WorkerConfig {
  kafka: KafkaConnectionConfig;
  inputTopic: string;
  outputTopic: string;
  /** Where the tweets the language gate keeps from the model go (TweetUnclassified records). */
  unclassifiedTopic: string;
  /** Undefined: create the output topic with the input topic's partition count. */
  outputPartitions?: number;
  /** Undefined: the broker's default. */
  outputReplicationFactor?: number;
  /** Most record bytes per produce request (lowered at start to the output topic's max.message.bytes). */
  outputMaxRequestBytes: number;
  groupId: string;
  sessionTimeoutMs: number;
  /** Without user info: credentials, wherever they were given, are in schemaRegistryAuth. */
  schemaRegistryUrl?: string;
  /** Basic auth of the registry (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO or the URL's user info). */
  schemaRegistryAuth?: RegistryCredentials;
  /** Raw mode: the schema input records were written with (absolute path); undefined = schemas/tweet.avsc. */
  inputWriterSchemaPath?: string;
  /** Longer texts (UTF-8 bytes) are TEXT_TOO_LONG poison. */
  maxTextBytes: number;
  /** Key and header bounds: past one, a record is KEY_TOO_LARGE / TOO_MANY_HEADERS / HEADER_TOO_LARGE poison. */
  recordLimits: { maxKeyBytes: number; maxHeaders: number; maxHeaderBytes: number };
  /** Absolute path. */
  modelDir: string;
  batchMaxSize: number;
  batchMaxWaitMs: number;
  chunkSize: number;
  partitionConcurrency: number;
  exactlyOnce: boolean;
  transactionalIdPrefix: string;
  shutdownTimeoutMs: number;
  /** 0 = no HTTP server. */
  httpPort: number;
  /** Interface of the HTTP server. */
  httpHost: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** The dead-letter queue's and the retries' settings (DLQ_*, RETRY_*). */
  deadLetter: DlqSettings;
  language: LanguageSettings;
}

/** Rules between the Kafka connection settings (see crossFieldProblems). */
function kafkaProblems(env: Record<string, string | undefined>): string[] {
  const set = (name: string) => Boolean(env[name]?.trim());
  const problems: string[] = [];
  if (set('KAFKA_SASL_MECHANISM') && (!set('KAFKA_SASL_USERNAME') || !set('KAFKA_SASL_PASSWORD'))) {
    problems.push('  KAFKA_SASL_MECHANISM: needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  }
  if (!set('KAFKA_SASL_MECHANISM') && (set('KAFKA_SASL_USERNAME') || set('KAFKA_SASL_PASSWORD'))) {
    problems.push('  KAFKA_SASL_MECHANISM: is required when a SASL username or password is set');
  }
  if (set('KAFKA_SSL_CERT_FILE') !== set('KAFKA_SSL_KEY_FILE')) {
    problems.push('  KAFKA_SSL_CERT_FILE: KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together');
  }
  return problems;
}

/**
 * Rules between settings, checked on the raw values so they are reported together with the
 * per-setting problems (zod skips refinements once a field fails).
 */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems = [...kafkaProblems(env), ...schemaRegistryConnection(env).problems];
  const input = env.INPUT_TOPIC?.trim() || WORKER_SETTING_TABLE.INPUT_TOPIC.defaultText;
  const output = env.OUTPUT_TOPIC?.trim() || WORKER_SETTING_TABLE.OUTPUT_TOPIC.defaultText;
  if (input === output)
    problems.push(`  OUTPUT_TOPIC: must differ from INPUT_TOPIC (both ${JSON.stringify(input)})`);
  const unclassified = env.UNCLASSIFIED_TOPIC?.trim() || unclassifiedTopicOf(output);
  if (unclassified === input || unclassified === output)
    problems.push(
      `  UNCLASSIFIED_TOPIC: must differ from INPUT_TOPIC and OUTPUT_TOPIC (got ${JSON.stringify(unclassified)})`,
    );
  return problems;
}

/** The environment variables the worker reads (the keys of its table). */
export const WORKER_SETTING_NAMES: readonly string[] = Object.keys(WORKER_SETTING_TABLE);

function connectionFrom(e: SettingValues<typeof KAFKA_CONNECTION_SETTINGS>): KafkaConnectionConfig {
  const useSsl = e.KAFKA_SSL || Boolean(e.KAFKA_SSL_CA_FILE || e.KAFKA_SSL_CERT_FILE);
  return {
    brokers: e.KAFKA_BROKERS,
    clientId: e.KAFKA_CLIENT_ID,
    ssl: useSsl
      ? {
          caFile: e.KAFKA_SSL_CA_FILE,
          certFile: e.KAFKA_SSL_CERT_FILE,
          keyFile: e.KAFKA_SSL_KEY_FILE,
          rejectUnauthorized: e.KAFKA_SSL_REJECT_UNAUTHORIZED,
        }
      : false,
    sasl:
      e.KAFKA_SASL_MECHANISM && e.KAFKA_SASL_USERNAME && e.KAFKA_SASL_PASSWORD
        ? {
            mechanism: e.KAFKA_SASL_MECHANISM,
            username: e.KAFKA_SASL_USERNAME,
            password: e.KAFKA_SASL_PASSWORD,
          }
        : undefined,
    connectTimeoutMs: e.KAFKA_CONNECT_TIMEOUT_MS,
  };
}

/**
 * Only the Kafka connection settings (KAFKA_BROKERS, KAFKA_CLIENT_ID, KAFKA_SSL*, KAFKA_SASL*), validated
 * like the worker's: for the commands beside the worker (produce, alerts, dashboard, dlq replay), so they
 * reach every cluster the worker reaches without tripping over worker-only settings.
 */
export function loadKafkaConnection(env: NodeJS.ProcessEnv = process.env): KafkaConnectionConfig {
  return connectionFrom(parseSettings(KAFKA_CONNECTION_SETTINGS, env, kafkaProblems(env), 'Kafka settings'));
}

/**
 * Reads and validates the worker's settings. Throws one ConfigError naming every invalid
 * setting (not just the first), so a misconfigured deployment is fixed in one round.
 */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const e = parseSettings(WORKER_SETTING_TABLE, env, crossFieldProblems(env), 'worker settings');
  const registry = schemaRegistryConnection(e).connection;
  return {
    kafka: connectionFrom(e),
    inputTopic: e.INPUT_TOPIC,
    outputTopic: e.OUTPUT_TOPIC,
    unclassifiedTopic: e.UNCLASSIFIED_TOPIC ?? unclassifiedTopicOf(e.OUTPUT_TOPIC),
    outputPartitions: e.OUTPUT_PARTITIONS,
    outputReplicationFactor: e.OUTPUT_REPLICATION_FACTOR,
    outputMaxRequestBytes: e.OUTPUT_MAX_REQUEST_BYTES,
    groupId: e.GROUP_ID,
    sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
    schemaRegistryUrl: registry?.url,
    schemaRegistryAuth: registry?.auth,
    inputWriterSchemaPath:
      e.INPUT_WRITER_SCHEMA === undefined ? undefined : path.resolve(e.INPUT_WRITER_SCHEMA),
    maxTextBytes: e.MAX_TEXT_BYTES,
    recordLimits: {
      maxKeyBytes: e.MAX_KEY_BYTES,
      maxHeaders: e.MAX_HEADERS,
      maxHeaderBytes: e.MAX_HEADER_BYTES,
    },
    modelDir: path.isAbsolute(e.MODEL_DIR) ? e.MODEL_DIR : fromPackageRoot(e.MODEL_DIR),
    batchMaxSize: e.BATCH_MAX_SIZE,
    batchMaxWaitMs: e.BATCH_MAX_WAIT_MS,
    chunkSize: e.PIPELINE_CHUNK_SIZE,
    partitionConcurrency: e.PARTITION_CONCURRENCY,
    exactlyOnce: e.EXACTLY_ONCE,
    transactionalIdPrefix: e.TRANSACTIONAL_ID_PREFIX ?? e.GROUP_ID,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    httpPort: e.HTTP_PORT,
    httpHost: e.HTTP_HOST,
    logLevel: e.LOG_LEVEL,
    deadLetter: deadLetterSettingsFrom(e),
    language: {
      gate: e.LANGUAGE_GATE,
      minConfidence: e.LANGUAGE_MIN_CONFIDENCE,
      minLetters: e.LANGUAGE_MIN_LETTERS,
      undetermined: e.LANGUAGE_UNDETERMINED,
      modelLanguages: e.MODEL_LANGUAGES,
    },
  };
}
