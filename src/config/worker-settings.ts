import { DEFAULT_MODEL_DIR } from './defaults';
import { DEFAULT_LANGUAGE_SETTINGS } from './language-settings';

/** One environment setting of `emotion-stream worker`, as `--help` and the README show it. */
export interface SettingDoc {
  /** The environment variable. */
  name: string;
  /** The default, as text ("(none)" when the setting is optional and unset by default). */
  defaultText: string;
  description: string;
  /** The value is a secret: never shown in messages, logs or `--help`. */
  secret?: true;
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
  { name: 'KAFKA_SASL_PASSWORD', defaultText: '(none)', description: 'SASL password.', secret: true },
  {
    name: 'KAFKA_CONNECT_TIMEOUT_MS',
    defaultText: '8000',
    description:
      'At start, Kafka must answer within this long, else the process exits 1 naming the brokers (a supervisor restarts it).',
  },
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
    name: 'UNCLASSIFIED_TOPIC',
    defaultText: '<OUTPUT_TOPIC>.unclassified',
    description:
      'Topic of the tweets the language gate keeps from the model (schemas/tweet-unclassified.avsc, key = tweet id, with the reason and language); created like the output topic.',
  },
  {
    name: 'OUTPUT_PARTITIONS',
    defaultText: "the input topic's count",
    description: 'Partitions of the output (and unclassified) topic when the worker has to create it.',
  },
  {
    name: 'OUTPUT_REPLICATION_FACTOR',
    defaultText: "the broker's default",
    description: 'Replication factor of the output (and unclassified) topic when the worker creates it.',
  },
  {
    name: 'OUTPUT_MAX_REQUEST_BYTES',
    defaultText: '1000000',
    description:
      "Most record bytes in one produce request; sends are split to fit, and an enriched record bigger than this (or than the output topic's max.message.bytes, read at start) is dead-lettered as OUTPUT_TOO_LARGE.",
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
      'Confluent-compatible schema registry; when set, input and output use the Confluent wire format. User info in the URL (https://user:password@host) is taken out and sent as basic auth.',
  },
  {
    name: 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO',
    defaultText: '(none)',
    description:
      'Registry basic-auth credentials as user:password (Confluent Cloud: API key:secret). Secret.',
    secret: true,
  },
  {
    name: 'SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE',
    defaultText: 'USER_INFO if that is set, else URL',
    description:
      "Where the registry credentials come from, as Confluent's basic.auth.credentials.source: USER_INFO (the setting above) or URL (the URL's user info).",
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
    name: 'MAX_KEY_BYTES',
    defaultText: '65536',
    description:
      'Longest record key in bytes; longer ones are dead-lettered as KEY_TOO_LARGE (keys are ids: tens of bytes).',
  },
  {
    name: 'MAX_HEADERS',
    defaultText: '128',
    description:
      'Most header values on one record (a repeated name counts once per value); more are dead-lettered as TOO_MANY_HEADERS.',
  },
  {
    name: 'MAX_HEADER_BYTES',
    defaultText: '65536',
    description:
      'Longest header (name plus value) in bytes; longer ones are dead-lettered as HEADER_TOO_LARGE (W3C baggage, the largest standard header, stops at 8 KiB).',
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
    name: 'MODEL_LANGUAGES',
    defaultText: DEFAULT_LANGUAGE_SETTINGS.modelLanguages.join(','),
    description:
      'Languages (comma-separated BCP-47 tags) of a model whose config.json does not declare them (emotion_stream.languages); a warning is logged when it is used. The shipped models declare en.',
  },
  {
    name: 'LANGUAGE_GATE',
    defaultText: String(DEFAULT_LANGUAGE_SETTINGS.gate),
    description:
      "Classify only tweets in the model's languages (the producer's lang, else detected); others go to the unclassified topic. See docs/language.md.",
  },
  {
    name: 'LANGUAGE_MIN_CONFIDENCE',
    defaultText: String(DEFAULT_LANGUAGE_SETTINGS.minConfidence),
    description:
      'Detector confidence (0 to 1) below which a tweet without lang counts as undetermined (chosen with npm run bench:language).',
  },
  {
    name: 'LANGUAGE_MIN_LETTERS',
    defaultText: String(DEFAULT_LANGUAGE_SETTINGS.minLetters),
    description:
      'A tweet without lang with fewer letters (URLs and @mentions not counted) is too short to detect and counts as undetermined (chosen with npm run bench:language).',
  },
  {
    name: 'LANGUAGE_UNDETERMINED',
    defaultText: DEFAULT_LANGUAGE_SETTINGS.undetermined,
    description:
      'What happens to a tweet whose language cannot be told (too few letters or low confidence): classify, skip (not classified), or latin (classify only when its letters are mostly Latin script).',
  },
  {
    name: 'BATCH_MAX_SIZE',
    defaultText: '16',
    description:
      'Most texts per model run (micro-batch size). 16 suits the int8 default model on a CPU: larger batches pad more and its dynamic quantization makes scores shift slightly with batch size (see models/README.md).',
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
    name: 'HTTP_HOST',
    defaultText: '127.0.0.1',
    description:
      'Interface of that server: 127.0.0.1 serves this host only; containers set 0.0.0.0 so probes and Prometheus reach it.',
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
    name: 'DLQ_MIRROR_MAX_BYTES',
    defaultText: '1000000',
    description:
      "Largest DLQ_TOPIC message (keep it under the topic's max.message.bytes); a bigger entry is mirrored without its original bytes, which stay in Redis.",
  },
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
