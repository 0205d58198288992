import { DEFAULT_MODEL_DIR } from './defaults';

/** One environment setting of `emotion-stream worker`, as `--help` and the README show it. */
export interface SettingDoc {
  /** The environment variable. */
  name: string;
  /** The default, as text ("(none)" when the setting is optional and unset by default). */
  defaultText: string;
  description: string;
}

/**
 * Every setting the worker reads, in the order `--help` prints them. worker-config.ts parses
 * exactly these names; a unit test keeps the two lists equal.
 */
export const WORKER_SETTINGS: readonly SettingDoc[] = [
  {
    name: 'KAFKA_BROKERS',
    defaultText: '127.0.0.1:9092',
    description: 'Comma-separated bootstrap brokers (host:port).',
  },
  {
    name: 'KAFKA_CLIENT_ID',
    defaultText: 'emotion-stream',
    description: 'Kafka client id (shows in broker logs and quotas).',
  },
  { name: 'KAFKA_SSL', defaultText: 'false', description: 'Connect with TLS (true/false).' },
  {
    name: 'KAFKA_SSL_CA_FILE',
    defaultText: '(none)',
    description: 'PEM file of CA certificates to trust (implies KAFKA_SSL=true).',
  },
  {
    name: 'KAFKA_SSL_CERT_FILE',
    defaultText: '(none)',
    description: 'PEM client certificate for mutual TLS (needs KAFKA_SSL_KEY_FILE).',
  },
  {
    name: 'KAFKA_SSL_KEY_FILE',
    defaultText: '(none)',
    description: 'PEM private key of the client certificate.',
  },
  {
    name: 'KAFKA_SSL_REJECT_UNAUTHORIZED',
    defaultText: 'true',
    description: 'Verify the broker certificate (false only for testing).',
  },
  {
    name: 'KAFKA_SASL_MECHANISM',
    defaultText: '(none)',
    description: 'SASL mechanism: plain, scram-sha-256 or scram-sha-512 (needs username and password).',
  },
  { name: 'KAFKA_SASL_USERNAME', defaultText: '(none)', description: 'SASL username.' },
  { name: 'KAFKA_SASL_PASSWORD', defaultText: '(none)', description: 'SASL password.' },
  {
    name: 'KAFKA_SESSION_TIMEOUT_MS',
    defaultText: '30000',
    description:
      'Consumer-group session timeout: how long a replica that died without leaving holds its partitions.',
  },
  { name: 'INPUT_TOPIC', defaultText: 'tweets', description: 'Topic of raw tweets (Avro) to consume.' },
  {
    name: 'OUTPUT_TOPIC',
    defaultText: 'tweets.emotions',
    description: 'Topic the enriched events are written to (key = tweet id).',
  },
  {
    name: 'OUTPUT_PARTITIONS',
    defaultText: "the input topic's count",
    description: 'Partitions of the output topic when the worker has to create it.',
  },
  {
    name: 'OUTPUT_REPLICATION_FACTOR',
    defaultText: "the broker's default",
    description: 'Replication factor of the output topic when the worker creates it.',
  },
  {
    name: 'GROUP_ID',
    defaultText: 'emotion-stream',
    description: 'Consumer group; run more replicas with the same GROUP_ID to scale out.',
  },
  {
    name: 'SCHEMA_REGISTRY_URL',
    defaultText: '(none: raw Avro)',
    description:
      'Confluent-compatible schema registry; when set, input and output use the Confluent wire format.',
  },
  {
    name: 'INPUT_WRITER_SCHEMA',
    defaultText: '(none: schemas/tweet.avsc)',
    description:
      'Raw Avro mode: the schema producers wrote the input with (an older or newer tweet.avsc); read against schemas/tweet.avsc. Relative to the working directory.',
  },
  {
    name: 'MAX_TEXT_BYTES',
    defaultText: '65536',
    description: 'Longest tweet text in UTF-8 bytes; longer ones are dead-lettered as TEXT_TOO_LONG.',
  },
  {
    name: 'REDIS_URL',
    defaultText: 'redis://127.0.0.1:6379',
    description: 'Redis holding the dead-letter queue (BullMQ).',
  },
  {
    name: 'DLQ_QUEUE',
    defaultText: 'emotion-stream-dlq',
    description: 'BullMQ queue name of the dead letters.',
  },
  {
    name: 'MODEL_DIR',
    defaultText: DEFAULT_MODEL_DIR,
    description:
      'Model folder (config.json, tokenizer.json, onnx/model.onnx); relative paths are resolved from the package root.',
  },
  {
    name: 'BATCH_MAX_SIZE',
    defaultText: '16',
    description:
      'Most texts per model run (micro-batch size). 16 suits the int8 default model on a CPU: larger batches pad more (its scores do not depend on the batch size: see models/README.md).',
  },
  {
    name: 'BATCH_MAX_WAIT_MS',
    defaultText: '20',
    description: 'Longest a text waits for its micro-batch to fill, in ms.',
  },
  {
    name: 'PIPELINE_CHUNK_SIZE',
    defaultText: '256',
    description:
      'Messages of one partition handled as a unit: decoded, classified, sent in one producer request, then committed (one transaction in exactly-once mode).',
  },
  {
    name: 'PARTITION_CONCURRENCY',
    defaultText: '4',
    description:
      'Partitions processed at the same time by one replica (their texts share the micro-batches).',
  },
  {
    name: 'EXACTLY_ONCE',
    defaultText: 'false',
    description:
      'Produce and commit offsets in Kafka transactions (one transactional producer per input partition); read output with isolation.level=read_committed.',
  },
  {
    name: 'TRANSACTIONAL_ID_PREFIX',
    defaultText: 'GROUP_ID',
    description: 'Prefix of the transactional ids (<prefix>-<topic>-<partition>) in exactly-once mode.',
  },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    defaultText: '30000',
    description:
      'On SIGTERM/SIGINT: finish or abandon the in-flight chunk, commit, disconnect and exit within this many ms.',
  },
  {
    name: 'HTTP_PORT',
    defaultText: '9464',
    description: 'Port of the /metrics, /healthz and /readyz server (0 = do not serve).',
  },
  {
    name: 'LOG_LEVEL',
    defaultText: 'info',
    description: 'pino log level: fatal, error, warn, info, debug, trace or silent.',
  },
];

/** Settings the worker passes to the dead-letter queue (parsed by dlq-settings.ts, listed here for `--help`). */
export const WORKER_DEAD_LETTER_SETTINGS: readonly SettingDoc[] = [
  { name: 'DLQ_TOPIC', defaultText: '(none)', description: 'Kafka topic every dead letter is mirrored to.' },
  {
    name: 'DLQ_REDIS_TIMEOUT_MS',
    defaultText: '2000',
    description: 'Longest one Redis operation may take before Redis counts as unavailable.',
  },
  {
    name: 'RETRY_MAX_ATTEMPTS',
    defaultText: '5',
    description:
      'Tries of a transiently failing message (decode, inference, encode) before it is dead-lettered.',
  },
  {
    name: 'RETRY_BASE_DELAY_MS',
    defaultText: '200',
    description: 'First retry delay; doubles each try, with jitter.',
  },
  { name: 'RETRY_MAX_DELAY_MS', defaultText: '5000', description: 'Longest retry delay.' },
];
