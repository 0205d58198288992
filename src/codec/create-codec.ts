import avro from 'avsc';
import {
  unclassifiedTopicOf,
  type TweetDecoder,
  type TweetEmotionDecoder,
  type TweetEmotionEncoder,
  type TweetUnclassifiedEncoder,
} from '../core';
import { ConfigError } from '../core';
import { ConfluentRecordReader, RawRecordReader, type RecordReader } from './record-readers';
import { RecordWriter } from './record-writer';
import { RegistryClient } from './registry-client';
import {
  loadSchema,
  TWEET_EMOTION_SCHEMA_PATH,
  TWEET_SCHEMA_PATH,
  TWEET_UNCLASSIFIED_SCHEMA_PATH,
  type LoadedSchema,
} from './schema-files';
import {
  AvroTweetDecoder,
  AvroTweetEmotionDecoder,
  AvroTweetEmotionEncoder,
  AvroTweetEncoder,
  type TweetEncoder,
} from './tweet-codecs';
import {
  AvroTweetUnclassifiedDecoder,
  AvroTweetUnclassifiedEncoder,
  type TweetUnclassifiedDecoder,
} from './tweet-unclassified-codecs';
import { DEFAULT_MAX_TEXT_BYTES } from './tweet-validation';

/** What the worker and `produce` need to know to read and write the topics. */
export interface CodecOptions {
  /**
   * A Confluent-compatible schema registry. Set: Confluent wire format (magic byte 0 + schema id) on both
   * topics, schemas registered under `<topic>-value` (TopicNameStrategy). Unset: raw Avro binary, no framing.
   * @defaultValue undefined (raw Avro)
   */
  schemaRegistryUrl?: string;
  /** Basic auth of the registry (never part of the URL, never in a message). @defaultValue none */
  schemaRegistryAuth?: { username: string; password: string };
  /** Input topic; its subject `<inputTopic>-value` is where `tweetEncoder` registers the writer schema. */
  inputTopic: string;
  /** Output topic; the output schema is registered under `<outputTopic>-value`. */
  outputTopic: string;
  /**
   * Topic of the tweets not classified because of their language; schemas/tweet-unclassified.avsc is registered
   * under `<unclassifiedTopic>-value` on the first encode (never at start: a worker without the language gate
   * never writes there). @defaultValue `<outputTopic>.unclassified`
   */
  unclassifiedTopic?: string;
  /** @defaultValue 65536 (64 KiB of UTF-8) — longer texts are TEXT_TOO_LONG poison. */
  maxTextBytes?: number;
  /**
   * The schema input records were written with. Raw mode: the decoder's writer schema (for a producer on an
   * older or newer schema). Both modes: what `tweetEncoder` writes (and registers).
   * @defaultValue schemas/tweet.avsc
   */
  inputWriterSchemaPath?: string;
  /** Reader schema of the input. @defaultValue schemas/tweet.avsc */
  inputSchemaPath?: string;
  /** Output schema. @defaultValue schemas/tweet-emotion.avsc */
  outputSchemaPath?: string;
  /**
   * Register the output schema before returning (so a worker fails at start when the registry is wrong or
   * down). False: register on the first encode (what `produce` wants: it never writes output).
   * @defaultValue true
   */
  registerOnStart?: boolean;
  /** Retries of one registry HTTP request before it counts as an outage. @defaultValue 2 */
  registryRetries?: number;
}

/** The codec stage: everything that turns records into bytes and back. */
export interface Codec {
  wireFormat: 'raw' | 'confluent';
  /** Input bytes -> validated Tweet; throws PoisonMessageError or RegistryUnavailableError. */
  decoder: TweetDecoder;
  /** TweetEmotion -> output bytes; throws PoisonMessageError (UNENCODABLE_OUTPUT) or RegistryUnavailableError. */
  encoder: TweetEmotionEncoder;
  /** Tweet -> input bytes, in the input writer schema (for `produce`, tests, benchmarks). */
  tweetEncoder: TweetEncoder;
  /** Output bytes -> TweetEmotion (for consumers of the output topic and tests). */
  tweetEmotionDecoder: TweetEmotionDecoder;
  /** TweetUnclassified -> bytes of the unclassified topic; throws like `encoder`. */
  unclassifiedEncoder: TweetUnclassifiedEncoder;
  /** Bytes of the unclassified topic -> TweetUnclassified (for its readers and tests). */
  tweetUnclassifiedDecoder: TweetUnclassifiedDecoder;
}

export const subjectOf = (topic: string): string => `${topic}-value`;

/** The reader twin whose `text` is optional: lets MISSING_TEXT be reported per record (see read-plan.ts). */
function lenientTextReader(reader: LoadedSchema): avro.Type {
  const fields = reader.json.fields.map((field) =>
    field.name === 'text'
      ? { ...field, type: ['null', 'string'] as avro.schema.DefinedType[], default: null }
      : field,
  );
  return avro.Type.forSchema({ ...reader.json, fields });
}

/** Runs `make` once; a failure (an outage) is forgotten so the next call tries again. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/**
 * Builds the codec for the configured wire format. Schemas are read and resolvers built here, once; in
 * Confluent mode the output schema is registered (unless `registerOnStart` is false). Throws ConfigError
 * for unusable schema files, and RegistryUnavailableError when the registry does not answer.
 */
export async function createCodec(options: CodecOptions): Promise<Codec> {
  const maxTextBytes = options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  if (!Number.isInteger(maxTextBytes) || maxTextBytes < 1)
    throw new ConfigError(`maxTextBytes must be a positive integer, got ${maxTextBytes}`);
  const input = loadSchema(options.inputSchemaPath ?? TWEET_SCHEMA_PATH);
  const inputWriter =
    options.inputWriterSchemaPath === undefined ? input : loadSchema(options.inputWriterSchemaPath);
  const output = loadSchema(options.outputSchemaPath ?? TWEET_EMOTION_SCHEMA_PATH);
  const unclassified = loadSchema(TWEET_UNCLASSIFIED_SCHEMA_PATH);
  const inputReaders = [input.type, lenientTextReader(input)];

  if (!options.schemaRegistryUrl) {
    let inputReader: RecordReader;
    try {
      inputReader = new RawRecordReader(inputReaders, inputWriter.type);
    } catch (error) {
      throw new ConfigError(
        `input writer schema ${inputWriter.path} cannot be read as ${input.path}: ${(error as Error).message}`,
        error,
      );
    }
    const rawOutputWriter = new RecordWriter(output.type, undefined, 'encode');
    const rawInputWriter = new RecordWriter(inputWriter.type, undefined, 'encode');
    const rawUnclassifiedWriter = new RecordWriter(unclassified.type, undefined, 'encode');
    return {
      wireFormat: 'raw',
      decoder: new AvroTweetDecoder(inputReader, maxTextBytes),
      encoder: new AvroTweetEmotionEncoder(async () => rawOutputWriter),
      tweetEncoder: new AvroTweetEncoder(async () => rawInputWriter),
      tweetEmotionDecoder: new AvroTweetEmotionDecoder(new RawRecordReader([output.type], output.type)),
      unclassifiedEncoder: new AvroTweetUnclassifiedEncoder(async () => rawUnclassifiedWriter),
      tweetUnclassifiedDecoder: new AvroTweetUnclassifiedDecoder(
        new RawRecordReader([unclassified.type], unclassified.type),
      ),
    };
  }

  const registry = new RegistryClient({
    url: options.schemaRegistryUrl,
    auth: options.schemaRegistryAuth,
    retries: options.registryRetries,
  });
  // Each writer registers its schema under its topic's subject on first use, then keeps the id.
  const registeredWriter = (schema: LoadedSchema, topic: string) =>
    once(
      async () =>
        new RecordWriter(
          schema.type,
          await registry.register(subjectOf(topic), schema.json, 'encode'),
          'encode',
        ),
    );
  const outputWriter = registeredWriter(output, options.outputTopic);
  const inputWriterForTweets = registeredWriter(inputWriter, options.inputTopic);
  const unclassifiedWriter = registeredWriter(
    unclassified,
    options.unclassifiedTopic ?? unclassifiedTopicOf(options.outputTopic),
  );
  if (options.registerOnStart ?? true) await outputWriter();
  return {
    wireFormat: 'confluent',
    decoder: new AvroTweetDecoder(new ConfluentRecordReader(inputReaders, registry), maxTextBytes),
    encoder: new AvroTweetEmotionEncoder(outputWriter),
    tweetEncoder: new AvroTweetEncoder(inputWriterForTweets),
    tweetEmotionDecoder: new AvroTweetEmotionDecoder(new ConfluentRecordReader([output.type], registry)),
    unclassifiedEncoder: new AvroTweetUnclassifiedEncoder(unclassifiedWriter),
    tweetUnclassifiedDecoder: new AvroTweetUnclassifiedDecoder(
      new ConfluentRecordReader([unclassified.type], registry),
    ),
  };
}
