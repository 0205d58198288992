import { Command, InvalidArgumentError, Option } from 'commander';
import { KAFKA_CONNECTION_SETTINGS } from '../config/worker-settings';
import { SingleBar } from 'cli-progress';
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import { createCodec } from '../codec';
import { registryCodecOptions } from '../config/schema-registry-settings';
import { loadKafkaConnection } from '../config/worker-config';
import { createKafkaClient } from '../kafka/kafka-client';
import { classifyError } from '../core';
import { countLines } from './produce/count-lines';
import { TWEET_FILE_FORMATS, tweetFileFormat, type TweetFileFormat } from './produce/input-formats';
import { publishTweets, EXPECTED_LABEL_HEADER, type PublishSummary } from './produce/publish-tweets';
import { readTweets } from './produce/tweet-source';

interface ProduceFlags {
  file?: string;
  topic: string;
  format: TweetFileFormat;
  brokers: string;
  schemaRegistryUrl?: string;
  writerSchema?: string;
  partitions: number;
  batchSize: number;
  rate?: number;
  idPrefix?: string;
  repeat: number;
  limit?: number;
  labelHeader: boolean;
  json: boolean;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected a whole number >= 1');
  return parsed;
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a number > 0');
  return parsed;
}

const env = (name: string): string | undefined =>
  process.env[name]?.trim() ? process.env[name]?.trim() : undefined;

// Like .choices(), plus the old name `plain` for `text`.
function parseTweetFileFormat(value: string): TweetFileFormat {
  const format = tweetFileFormat(value);
  if (!(TWEET_FILE_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidArgumentError(`Allowed choices are ${TWEET_FILE_FORMATS.join(', ')}.`);
  }
  return format;
}

function summaryLine(summary: PublishSummary, wireFormat: string, format: string): string {
  const seconds = summary.elapsedMs / 1000;
  const perSecond = seconds > 0 ? Math.round(summary.published / seconds) : summary.published;
  const topicNote = summary.createdTopic
    ? `created with ${summary.partitions} partitions`
    : `${summary.partitions} partitions`;
  return `produced ${summary.published} tweets (${format} input, ${wireFormat} Avro) to ${summary.topic} (${topicNote}) in ${seconds.toFixed(2)} s (${perSecond}/s)`;
}

async function produce(flags: ProduceFlags): Promise<void> {
  const codec = await createCodec({
    ...registryCodecOptions(flags.schemaRegistryUrl),
    inputTopic: flags.topic,
    // produce writes no enriched events: the output subject is never touched (registerOnStart: false).
    outputTopic: `${flags.topic}.unused-output`,
    inputWriterSchemaPath: flags.writerSchema,
    registerOnStart: false,
  });
  // The worker's Kafka settings (KAFKA_SSL*, KAFKA_SASL*, KAFKA_CLIENT_ID) apply here too, so produce reaches
  // any cluster the worker does. kafkajs' own retry chatter is silenced: the one error that matters is
  // reported below.
  const connection = loadKafkaConnection({ ...process.env, KAFKA_BROKERS: flags.brokers });
  const kafka = createKafkaClient(
    { ...connection, clientId: `${connection.clientId}-produce` },
    pino({ level: 'silent' }),
  );
  const skipped = { count: 0 };
  let detected: string = flags.format;
  const bar =
    process.stderr.isTTY && !flags.json
      ? new SingleBar({
          stream: process.stderr,
          format: ' {bar} {value}/{total} tweets | {eta_formatted} left',
        })
      : undefined;
  if (bar) {
    const lines = flags.file === undefined ? undefined : (await countLines(flags.file)) * flags.repeat;
    bar.start(Math.min(lines ?? 0, flags.limit ?? Number.POSITIVE_INFINITY), 0);
  }
  let summary: PublishSummary;
  try {
    summary = await publishTweets({
      kafka,
      topic: flags.topic,
      partitions: flags.partitions,
      encoder: codec.tweetEncoder,
      batchSize: flags.batchSize,
      rate: flags.rate,
      labelHeader: flags.labelHeader,
      tweets: readTweets({
        file: flags.file,
        format: flags.format,
        idPrefix: flags.idPrefix ?? `tw-${randomUUID().slice(0, 8)}`,
        repeat: flags.repeat,
        limit: flags.limit,
        skipped,
        onFormat: (format) => {
          detected = format;
        },
      }),
      onProgress: (published) => bar?.update(published),
    });
    // The total was counted in lines (headers and blank lines included): end the bar at the true count.
    bar?.setTotal(summary.published);
  } catch (error) {
    throw classifyError(error, 'produce');
  } finally {
    bar?.stop();
  }
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ ...summary, wireFormat: codec.wireFormat, format: detected, skippedLines: skipped.count })}\n`,
    );
  } else {
    process.stdout.write(
      `${summaryLine(summary, codec.wireFormat, detected)}${skipped.count ? `; skipped ${skipped.count} blank/header lines` : ''}\n`,
    );
  }
}

export function register(program: Command): void {
  program
    .command('produce')
    .description(
      'Publish tweets to the input topic as Avro, in the wire format the worker reads (raw, or Confluent when SCHEMA_REGISTRY_URL is set). ' +
        'Reads plain text (one tweet per line), JSONL ({"text": ..., "id"?, "created_at"?, "lang"?, "user_id"?, "user_name"?, "source"?, "hashtags"?, "attributes"?, "label"?}) ' +
        'or the dair-ai/emotion "text;label" format; missing ids become <id-prefix>-<n> and missing timestamps the current time. ' +
        'Messages are keyed by tweet id and sent in batches by an idempotent producer (acks=all). A missing topic is created.',
    )
    .option('-f, --file <path>', 'file to read (default: stdin)')
    .option('-t, --topic <name>', 'topic to publish to (env INPUT_TOPIC)', env('INPUT_TOPIC') ?? 'tweets')
    .addOption(
      new Option(
        '--format <format>',
        `input format: ${TWEET_FILE_FORMATS.join(', ')}; auto looks at the first non-blank line`,
      )
        .argParser(parseTweetFileFormat)
        .default('auto'),
    )
    .option(
      '-b, --brokers <list>',
      'Kafka bootstrap brokers, comma-separated (env KAFKA_BROKERS)',
      env('KAFKA_BROKERS') ?? KAFKA_CONNECTION_SETTINGS.KAFKA_BROKERS.defaultText,
    )
    .option(
      '--schema-registry-url <url>',
      'Confluent-compatible schema registry; set = Confluent wire format, unset = raw Avro (env SCHEMA_REGISTRY_URL)',
      env('SCHEMA_REGISTRY_URL'),
    )
    .option(
      '--writer-schema <path>',
      'Avro schema to write with instead of schemas/tweet.avsc, e.g. an older or newer version (env INPUT_WRITER_SCHEMA)',
      env('INPUT_WRITER_SCHEMA'),
    )
    .option('-p, --partitions <n>', 'partitions of the topic if it has to be created', positiveInteger, 4)
    .option('--batch-size <n>', 'messages per producer request', positiveInteger, 500)
    .option('-r, --rate <n>', 'messages per second (default: as fast as possible)', positiveNumber)
    .option(
      '--id-prefix <prefix>',
      'prefix of generated ids: <prefix>-1, <prefix>-2, ... (default: tw-<8 random hex digits>, new each run)',
    )
    .option(
      '--repeat <n>',
      'read the file n times (ids stay unique: generated ones keep counting, given ones get -r<round>)',
      positiveInteger,
      1,
    )
    .option('-n, --limit <n>', 'stop after n tweets', positiveInteger)
    .option(
      '--label-header',
      `send each line's label (dair-ai label or JSONL "label") in the ${EXPECTED_LABEL_HEADER} header`,
      false,
    )
    .option('--json', 'print the summary as one JSON object', false)
    .action(async (flags: ProduceFlags) => {
      await produce(flags);
    });
}
