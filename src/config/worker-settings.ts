import { DEFAULT_RETRY_POLICY, normalizeLanguageTag } from '../core';
import { DEFAULT_MODEL_DIR } from './defaults';
import { DEFAULT_LANGUAGE_SETTINGS, UNDETERMINED_POLICIES } from './language-settings';
import {
  choice,
  flag,
  fraction,
  integer,
  list,
  matching,
  optionalChoice,
  optionalInteger,
  optionalMatching,
  optionalText,
  settingRows,
  text,
  url,
  type NamedSetting,
} from './setting';

// The one settings table: each variable's parser (with its default), the default as documented, its
// description and whether it is a secret, written once. worker-config.ts and dlq-settings.ts parse
// these rows; `worker --help`, the README table (scripts/docs/config-table.ts) and the redaction of
// secrets read them too.

const SECRET = { secret: true } as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** How every Kafka client reaches the cluster (worker, produce, alerts, dashboard, dlq replay). */
export const KAFKA_CONNECTION_SETTINGS = {
  KAFKA_BROKERS: list(
    '127.0.0.1:9092',
    (entry) => (/^[^\s:,]+:\d{1,5}$/.test(entry) ? entry : undefined),
    'expected host:port[,host:port...]',
    'Comma-separated bootstrap brokers (host:port).',
  ),
  KAFKA_CLIENT_ID: text('emotion-stream', 'Kafka client id (shows in broker logs and quotas).'),
  KAFKA_SSL: flag(false, 'Connect with TLS (true/false).'),
  KAFKA_SSL_CA_FILE: optionalText('PEM file of CA certificates to trust (implies KAFKA_SSL=true).'),
  KAFKA_SSL_CERT_FILE: optionalText('PEM client certificate for mutual TLS (needs KAFKA_SSL_KEY_FILE).'),
  KAFKA_SSL_KEY_FILE: optionalText('PEM private key of the client certificate.'),
  KAFKA_SSL_REJECT_UNAUTHORIZED: flag(true, 'Verify the broker certificate (false only for testing).'),
  KAFKA_SASL_MECHANISM: optionalChoice(
    ['plain', 'scram-sha-256', 'scram-sha-512'],
    'SASL mechanism: plain, scram-sha-256 or scram-sha-512 (needs username and password).',
  ),
  KAFKA_SASL_USERNAME: optionalText(
    'SASL username (a secret: on Confluent Cloud it is the API key).',
    '(none)',
    SECRET,
  ),
  KAFKA_SASL_PASSWORD: optionalText('SASL password.', '(none)', SECRET),
  KAFKA_CONNECT_TIMEOUT_MS: integer(
    8_000,
    100,
    300_000,
    'At start, Kafka must answer within this long, else the process exits 1 naming the brokers (a supervisor restarts it).',
  ),
};

/** The dead-letter queue, the retries and `emotion-stream dlq`. */
export const DEAD_LETTER_SETTINGS = {
  REDIS_URL: url('redis://127.0.0.1:6379', /^rediss?:$/, 'Redis holding the dead-letter queue (BullMQ).'),
  DLQ_QUEUE: matching(
    'emotion-stream-dlq',
    /^[A-Za-z0-9._-]+$/,
    'letters, digits, ".", "_" and "-" only',
    'BullMQ queue name of the dead letters.',
  ),
  DLQ_TOPIC: optionalMatching(
    /^[A-Za-z0-9._-]+$/,
    'a Kafka topic name',
    'Kafka topic every dead letter is mirrored to.',
  ),
  DLQ_MIRROR_MAX_BYTES: integer(
    1_000_000,
    1024,
    100 * 1024 * 1024,
    "Largest DLQ_TOPIC message (keep it under the topic's max.message.bytes); a bigger entry is mirrored without its original bytes, which stay in Redis.",
  ),
  DLQ_REDIS_TIMEOUT_MS: integer(
    2000,
    1,
    600_000,
    'Longest one Redis operation may take before Redis counts as unavailable.',
  ),
  RETRY_MAX_ATTEMPTS: integer(
    DEFAULT_RETRY_POLICY.maxAttempts,
    1,
    1000,
    'Tries of a transiently failing message (decode, inference, encode) before it is dead-lettered.',
  ),
  RETRY_BASE_DELAY_MS: integer(
    DEFAULT_RETRY_POLICY.baseDelayMs,
    1,
    3_600_000,
    'First retry delay; doubles each try, with jitter.',
  ),
  RETRY_MAX_DELAY_MS: integer(DEFAULT_RETRY_POLICY.maxDelayMs, 1, 3_600_000, 'Longest retry delay.'),
};

/** What only the worker reads. */
const WORKER_ONLY_SETTINGS = {
  KAFKA_SESSION_TIMEOUT_MS: integer(
    30_000,
    6_000,
    300_000,
    'Consumer-group session timeout: how long a replica that died without leaving holds its partitions.',
  ),
  INPUT_TOPIC: text('tweets', 'Topic of raw tweets (Avro) to consume.'),
  OUTPUT_TOPIC: text('tweets.emotions', 'Topic the enriched events are written to (key = tweet id).'),
  UNCLASSIFIED_TOPIC: optionalText(
    'Topic of the tweets the language gate keeps from the model (schemas/tweet-unclassified.avsc, key = tweet id, with the reason and language); created like the output topic.',
    '<OUTPUT_TOPIC>.unclassified',
  ),
  OUTPUT_PARTITIONS: optionalInteger(
    1,
    10_000,
    "the input topic's count",
    'Partitions of the output (and unclassified) topic when the worker has to create it.',
  ),
  OUTPUT_REPLICATION_FACTOR: optionalInteger(
    1,
    100,
    "the broker's default",
    'Replication factor of the output (and unclassified) topic when the worker creates it.',
  ),
  OUTPUT_MAX_REQUEST_BYTES: integer(
    1_000_000,
    1024,
    100 * 1024 * 1024,
    "Most record bytes in one produce request; sends are split to fit, and an enriched record bigger than this (or than the output topic's max.message.bytes, read at start) is dead-lettered as OUTPUT_TOO_LARGE.",
  ),
  GROUP_ID: text('emotion-stream', 'Consumer group; run more replicas with the same GROUP_ID to scale out.'),
  SCHEMA_REGISTRY_URL: optionalText(
    'Confluent-compatible schema registry; when set, input and output use the Confluent wire format. User info in the URL (https://user:password@host) is taken out and sent as basic auth.',
    '(none: raw Avro)',
  ),
  SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: optionalText(
    'Registry basic-auth credentials as user:password (Confluent Cloud: API key:secret). Secret.',
    '(none)',
    SECRET,
  ),
  SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE: optionalText(
    "Where the registry credentials come from, as Confluent's basic.auth.credentials.source: USER_INFO (the setting above) or URL (the URL's user info).",
    'USER_INFO if that is set, else URL',
  ),
  INPUT_WRITER_SCHEMA: optionalText(
    'Raw Avro mode: the schema producers wrote the input with (an older or newer tweet.avsc); read against schemas/tweet.avsc. Relative to the working directory.',
    '(none: schemas/tweet.avsc)',
  ),
  MAX_TEXT_BYTES: integer(
    65_536,
    1,
    16 * 1024 * 1024,
    'Longest tweet text in UTF-8 bytes; longer ones are dead-lettered as TEXT_TOO_LONG.',
  ),
  MAX_KEY_BYTES: integer(
    65_536,
    1,
    16 * 1024 * 1024,
    'Longest record key in bytes; longer ones are dead-lettered as KEY_TOO_LARGE (keys are ids: tens of bytes).',
  ),
  MAX_HEADERS: integer(
    128,
    1,
    100_000,
    'Most header values on one record (a repeated name counts once per value); more are dead-lettered as TOO_MANY_HEADERS.',
  ),
  MAX_HEADER_BYTES: integer(
    65_536,
    1,
    16 * 1024 * 1024,
    'Longest header (name plus value) in bytes; longer ones are dead-lettered as HEADER_TOO_LARGE (W3C baggage, the largest standard header, stops at 8 KiB).',
  ),
  MODEL_DIR: text(
    DEFAULT_MODEL_DIR,
    'Model folder (config.json, tokenizer.json, onnx/model.onnx); relative paths are resolved from the package root.',
  ),
  MODEL_LANGUAGES: list(
    DEFAULT_LANGUAGE_SETTINGS.modelLanguages.join(','),
    normalizeLanguageTag,
    'expected language tags like en,de',
    'Languages (comma-separated BCP-47 tags) of a model whose config.json does not declare them (emotion_stream.languages); a warning is logged when it is used. The shipped models declare en.',
  ),
  LANGUAGE_GATE: flag(
    DEFAULT_LANGUAGE_SETTINGS.gate,
    "Classify only tweets in the model's languages (the producer's lang, else detected); others go to the unclassified topic. See docs/language.md.",
  ),
  LANGUAGE_MIN_CONFIDENCE: fraction(
    DEFAULT_LANGUAGE_SETTINGS.minConfidence,
    'Detector confidence (0 to 1) below which a tweet without lang counts as undetermined (chosen with npm run bench:language).',
  ),
  LANGUAGE_MIN_LETTERS: integer(
    DEFAULT_LANGUAGE_SETTINGS.minLetters,
    1,
    1000,
    'A tweet without lang with fewer letters (URLs and @mentions not counted) is too short to detect and counts as undetermined (chosen with npm run bench:language).',
  ),
  LANGUAGE_UNDETERMINED: choice(
    DEFAULT_LANGUAGE_SETTINGS.undetermined,
    UNDETERMINED_POLICIES,
    'What happens to a tweet whose language cannot be told (too few letters or low confidence): classify, skip (not classified), or latin (classify only when its letters are mostly Latin script).',
  ),
  BATCH_MAX_SIZE: integer(
    16,
    1,
    4096,
    'Most texts per model run (micro-batch size). 16 suits the int8 default model on a CPU: larger batches pad more (its scores do not depend on the batch size: see models/README.md).',
  ),
  BATCH_MAX_WAIT_MS: integer(20, 0, 60_000, 'Longest a text waits for its micro-batch to fill, in ms.'),
  PIPELINE_CHUNK_SIZE: integer(
    256,
    1,
    100_000,
    'Messages of one partition handled as a unit: decoded, classified, sent in one producer request, then committed (one transaction in exactly-once mode).',
  ),
  PARTITION_CONCURRENCY: integer(
    4,
    1,
    1024,
    'Partitions processed at the same time by one replica (their texts share the micro-batches).',
  ),
  EXACTLY_ONCE: flag(
    false,
    'Produce and commit offsets in Kafka transactions (one transactional producer per input partition); read output with isolation.level=read_committed.',
  ),
  TRANSACTIONAL_ID_PREFIX: optionalText(
    'Prefix of the transactional ids (<prefix>-<topic>-<partition>) in exactly-once mode.',
    'GROUP_ID',
  ),
  SHUTDOWN_TIMEOUT_MS: integer(
    30_000,
    100,
    3_600_000,
    'On SIGTERM/SIGINT: finish or abandon the in-flight chunk, commit, disconnect and exit within this many ms.',
  ),
  HTTP_PORT: integer(
    9464,
    0,
    65_535,
    'Port of the /metrics, /healthz and /readyz server (0 = do not serve).',
  ),
  HTTP_HOST: text(
    '127.0.0.1',
    'Interface of that server: 127.0.0.1 serves this host only; containers set 0.0.0.0 so probes and Prometheus reach it.',
  ),
  LOG_LEVEL: choice('info', LOG_LEVELS, 'pino log level: fatal, error, warn, info, debug, trace or silent.'),
};

/** Every setting of `emotion-stream worker`. */
export const WORKER_SETTING_TABLE = {
  ...KAFKA_CONNECTION_SETTINGS,
  ...WORKER_ONLY_SETTINGS,
  ...DEAD_LETTER_SETTINGS,
};

/** The worker's settings in `--help` and README order. */
export const WORKER_SETTINGS: readonly NamedSetting[] = settingRows({
  ...KAFKA_CONNECTION_SETTINGS,
  ...WORKER_ONLY_SETTINGS,
  REDIS_URL: DEAD_LETTER_SETTINGS.REDIS_URL,
  DLQ_QUEUE: DEAD_LETTER_SETTINGS.DLQ_QUEUE,
});

/** The dead-letter and retry settings the worker also reads (their own `--help` section). */
export const WORKER_DEAD_LETTER_SETTINGS: readonly NamedSetting[] = settingRows(DEAD_LETTER_SETTINGS).filter(
  (setting) => setting.name !== 'REDIS_URL' && setting.name !== 'DLQ_QUEUE',
);
