import path from 'node:path';
import { z } from 'zod';
import { ConfigError, normalizeLanguageTag, shownSettingValue, unclassifiedTopicOf } from '../core';
import { DEFAULT_MODEL_DIR } from './defaults';
import { DEFAULT_LANGUAGE_SETTINGS, UNDETERMINED_POLICIES, type LanguageSettings } from './language-settings';
import { fromPackageRoot } from './package-root';
import { schemaRegistryConnection, type RegistryCredentials } from './schema-registry-settings';

/** How to reach Kafka; the same for the consumer, the producers and the admin client. */
export interface KafkaConnectionConfig {
  brokers: string[];
  clientId: string;
  ssl: { caFile?: string; certFile?: string; keyFile?: string; rejectUnauthorized: boolean } | false;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** A start fails when Kafka does not answer within this long. */
  connectTimeoutMs: number;
}

/** The worker's settings, validated once at start (see worker-settings.ts for every default). */
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
  redisUrl: string;
  dlqQueue: string;
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
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  language: LanguageSettings;
}

// Env values are strings; an empty string counts as unset so `FOO= cmd` falls back to the default.
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));
const text = (fallback: string) => optionalText.transform((value) => value ?? fallback);
const integer = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  optionalText
    .pipe(
      z
        .string()
        .regex(/^\d+$/, `expected a whole number between ${min} and ${max}`)
        .transform(Number)
        .pipe(z.number().int().min(min).max(max))
        .optional(),
    )
    .transform((value) => value ?? fallback);
const optionalInteger = (min: number, max: number) =>
  optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, `expected a whole number between ${min} and ${max}`)
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .optional(),
  );
const flag = (fallback: boolean) =>
  optionalText
    .pipe(z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] }).optional())
    .transform((value) => value ?? fallback);
const url = (protocols: RegExp) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.test(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `expected a URL (${protocols.source.replace(/[\^$]/g, '')})`,
  );
const fraction = (fallback: number) =>
  optionalText
    .pipe(
      z
        .string()
        .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'expected a number from 0 to 1')
        .transform(Number)
        .optional(),
    )
    .transform((value) => value ?? fallback);
const languageList = (fallback: readonly string[]) =>
  optionalText.transform((value, context) => {
    if (value === undefined) return [...fallback];
    const tags = value.split(',').map((tag) => tag.trim());
    const languages = tags.map((tag) => normalizeLanguageTag(tag));
    const bad = tags.filter((_, index) => languages[index] === undefined);
    if (bad.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `expected language tags like en,de (not ${JSON.stringify(bad.join(','))})`,
      });
      return z.NEVER;
    }
    return [...new Set(languages as string[])];
  });
const broker = /^[^\s:,]+:\d{1,5}$/;

const schema = z.object({
  KAFKA_BROKERS: text('127.0.0.1:9092').pipe(
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(broker, 'expected host:port[,host:port...]')).min(1)),
  ),
  KAFKA_CLIENT_ID: text('emotion-stream'),
  KAFKA_SSL: flag(false),
  KAFKA_SSL_CA_FILE: optionalText,
  KAFKA_SSL_CERT_FILE: optionalText,
  KAFKA_SSL_KEY_FILE: optionalText,
  KAFKA_SSL_REJECT_UNAUTHORIZED: flag(true),
  KAFKA_SASL_MECHANISM: optionalText.pipe(z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional()),
  KAFKA_SASL_USERNAME: optionalText,
  KAFKA_SASL_PASSWORD: optionalText,
  KAFKA_CONNECT_TIMEOUT_MS: integer(8_000, 100, 300_000),
  KAFKA_SESSION_TIMEOUT_MS: integer(30_000, 6_000, 300_000),
  INPUT_TOPIC: text('tweets'),
  OUTPUT_TOPIC: text('tweets.emotions'),
  UNCLASSIFIED_TOPIC: optionalText,
  OUTPUT_PARTITIONS: optionalInteger(1, 10_000),
  OUTPUT_REPLICATION_FACTOR: optionalInteger(1, 100),
  OUTPUT_MAX_REQUEST_BYTES: integer(1_000_000, 1024, 100 * 1024 * 1024),
  GROUP_ID: text('emotion-stream'),
  // Checked with the credentials in schema-registry-settings.ts (the URL may hold a password).
  SCHEMA_REGISTRY_URL: optionalText,
  SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: optionalText,
  SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE: optionalText,
  INPUT_WRITER_SCHEMA: optionalText,
  MAX_TEXT_BYTES: integer(65_536, 1, 16 * 1024 * 1024),
  MAX_KEY_BYTES: integer(65_536, 1, 16 * 1024 * 1024),
  MAX_HEADERS: integer(128, 1, 100_000),
  MAX_HEADER_BYTES: integer(65_536, 1, 16 * 1024 * 1024),
  REDIS_URL: text('redis://127.0.0.1:6379').pipe(url(/^rediss?:$/)),
  DLQ_QUEUE: text('emotion-stream-dlq').pipe(
    z.string().regex(/^[^:\s]+$/, 'expected a name without ":" or spaces'),
  ),
  MODEL_DIR: text(DEFAULT_MODEL_DIR),
  BATCH_MAX_SIZE: integer(16, 1, 4096),
  BATCH_MAX_WAIT_MS: integer(20, 0, 60_000),
  PIPELINE_CHUNK_SIZE: integer(256, 1, 100_000),
  PARTITION_CONCURRENCY: integer(4, 1, 1024),
  EXACTLY_ONCE: flag(false),
  TRANSACTIONAL_ID_PREFIX: optionalText,
  SHUTDOWN_TIMEOUT_MS: integer(30_000, 100, 3_600_000),
  HTTP_PORT: integer(9464, 0, 65_535),
  HTTP_HOST: text('127.0.0.1'),
  LOG_LEVEL: text('info').pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  LANGUAGE_GATE: flag(DEFAULT_LANGUAGE_SETTINGS.gate),
  LANGUAGE_MIN_CONFIDENCE: fraction(DEFAULT_LANGUAGE_SETTINGS.minConfidence),
  LANGUAGE_MIN_LETTERS: integer(DEFAULT_LANGUAGE_SETTINGS.minLetters, 1, 1000),
  LANGUAGE_UNDETERMINED: text(DEFAULT_LANGUAGE_SETTINGS.undetermined).pipe(z.enum(UNDETERMINED_POLICIES)),
  MODEL_LANGUAGES: languageList(DEFAULT_LANGUAGE_SETTINGS.modelLanguages),
});

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
  const input = env.INPUT_TOPIC?.trim() || 'tweets';
  const output = env.OUTPUT_TOPIC?.trim() || 'tweets.emotions';
  if (input === output)
    problems.push(`  OUTPUT_TOPIC: must differ from INPUT_TOPIC (both ${JSON.stringify(input)})`);
  const unclassified = env.UNCLASSIFIED_TOPIC?.trim() || unclassifiedTopicOf(output);
  if (unclassified === input || unclassified === output)
    problems.push(
      `  UNCLASSIFIED_TOPIC: must differ from INPUT_TOPIC and OUTPUT_TOPIC (got ${JSON.stringify(unclassified)})`,
    );
  return problems;
}

/** The environment variables the worker reads (the keys of its schema). */
export const WORKER_SETTING_NAMES: readonly string[] = Object.keys(schema.shape);

const connectionSchema = schema.pick({
  KAFKA_BROKERS: true,
  KAFKA_CLIENT_ID: true,
  KAFKA_SSL: true,
  KAFKA_SSL_CA_FILE: true,
  KAFKA_SSL_CERT_FILE: true,
  KAFKA_SSL_KEY_FILE: true,
  KAFKA_SSL_REJECT_UNAUTHORIZED: true,
  KAFKA_SASL_MECHANISM: true,
  KAFKA_SASL_USERNAME: true,
  KAFKA_SASL_PASSWORD: true,
  KAFKA_CONNECT_TIMEOUT_MS: true,
});

/** Parses `env` with `shape`, or throws one ConfigError naming every invalid setting (secrets not echoed). */
function parseSettings<T extends z.ZodObject>(
  shape: T,
  env: Record<string, string | undefined>,
  problems: string[],
  what: string,
): z.output<T> {
  const parsed = shape.safeParse(env);
  if (parsed.success && problems.length === 0) return parsed.data;
  const issues = parsed.success ? [] : parsed.error.issues;
  const lines = issues.map((issue) => {
    const name = String(issue.path[0] ?? 'settings');
    const value = env[name];
    // Secret settings are never echoed; other values lose any credentials a URL in them carries.
    const shown = value === undefined ? '' : ` (got ${JSON.stringify(shownSettingValue(name, value))})`;
    return `  ${name}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`invalid ${what}:\n${[...lines, ...problems].join('\n')}`);
}

function connectionFrom(e: z.output<typeof connectionSchema>): KafkaConnectionConfig {
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
  const picked = Object.fromEntries(Object.keys(connectionSchema.shape).map((name) => [name, env[name]]));
  return connectionFrom(parseSettings(connectionSchema, picked, kafkaProblems(picked), 'Kafka settings'));
}

/**
 * Reads and validates the worker's settings. Throws one ConfigError naming every invalid
 * setting (not just the first), so a misconfigured deployment is fixed in one round.
 */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const picked = Object.fromEntries(WORKER_SETTING_NAMES.map((name) => [name, env[name]]));
  const e = parseSettings(schema, picked, crossFieldProblems(picked), 'worker settings');
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
    redisUrl: e.REDIS_URL,
    dlqQueue: e.DLQ_QUEUE,
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
    language: {
      gate: e.LANGUAGE_GATE,
      minConfidence: e.LANGUAGE_MIN_CONFIDENCE,
      minLetters: e.LANGUAGE_MIN_LETTERS,
      undetermined: e.LANGUAGE_UNDETERMINED,
      modelLanguages: e.MODEL_LANGUAGES,
    },
  };
}
