import { Option } from 'commander';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { createCodec, type Codec } from '../codec';
import { registryCodecOptions } from '../config/schema-registry-settings';
import { loadKafkaConnection } from '../config/worker-config';
import { ConfigError, EmotionStreamError, KafkaUnavailableError } from '../core';
import { createKafkaClient } from '../kafka/kafka-client';
import { probeKafka } from '../kafka/kafka-probe';

/** Flags shared by the commands that read the output topic (`alerts`, `dashboard`). */
export interface StreamFlags {
  brokers: string;
  clientId: string;
  outputTopic: string;
  alertTopic: string;
  schemaRegistryUrl?: string;
  logLevel: string;
}

export function streamOptions(): Option[] {
  return [
    new Option(
      '--brokers <list>',
      "Kafka bootstrap brokers, comma-separated (TLS/SASL: the worker's KAFKA_SSL* and KAFKA_SASL* variables apply)",
    )
      .env('KAFKA_BROKERS')
      .default('127.0.0.1:9092'),
    new Option('--client-id <id>', 'Kafka client id').env('KAFKA_CLIENT_ID').default('emotion-stream'),
    new Option('--output-topic <topic>', 'topic of enriched events (what the worker writes)')
      .env('OUTPUT_TOPIC')
      .default('tweets.emotions'),
    new Option('--alert-topic <topic>', 'topic of emotion spike alerts (Avro, schemas/emotion-alert.avsc)')
      .env('ALERT_TOPIC')
      .default('emotion.alerts'),
    new Option(
      '--schema-registry-url <url>',
      "set when the worker writes the Confluent wire format (default: raw Avro); basic auth from SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO or the URL's user info",
    ).env('SCHEMA_REGISTRY_URL'),
    new Option('--log-level <level>', 'pino log level')
      .env('LOG_LEVEL')
      .default('info')
      .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  ];
}

/** The trimmed, non-empty items of a comma-separated flag. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * A Kafka client for --brokers/--client-id with the worker's TLS and SASL settings (KAFKA_SSL*,
 * KAFKA_SASL* from the environment), so these commands reach every cluster the worker reaches.
 */
export function kafkaFrom(flags: Pick<StreamFlags, 'brokers' | 'clientId'>, logger: Logger): Kafka {
  return createKafkaClient(connectionFrom(flags), logger);
}

/** {@link kafkaFrom} after checking that Kafka answers within KAFKA_CONNECT_TIMEOUT_MS (else KafkaUnavailableError). */
export async function reachableKafkaFrom(
  flags: Pick<StreamFlags, 'brokers' | 'clientId'>,
  logger: Logger,
): Promise<Kafka> {
  await probeKafka(connectionFrom(flags), logger);
  return kafkaFrom(flags, logger);
}

function connectionFrom(flags: Pick<StreamFlags, 'brokers' | 'clientId'>) {
  return loadKafkaConnection({
    ...process.env,
    KAFKA_BROKERS: flags.brokers,
    KAFKA_CLIENT_ID: flags.clientId,
  });
}

/** The codec that reads the worker's output topic: raw Avro, or Confluent with --schema-registry-url. */
export function outputCodecFrom(flags: StreamFlags): Promise<Codec> {
  return createCodec({
    ...registryCodecOptions(flags.schemaRegistryUrl),
    inputTopic: process.env.INPUT_TOPIC ?? 'tweets',
    outputTopic: flags.outputTopic,
    registerOnStart: false,
  });
}

/** A whole number flag (ms, counts); ConfigError names the flag when it is not one. */
export function wholeNumber(name: string, value: string, min = 0): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || parsed < min)
    throw new ConfigError(`${name}: expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
  return parsed;
}

export function decimal(name: string, value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed))
    throw new ConfigError(`${name}: expected a number, got ${JSON.stringify(value)}`);
  return parsed;
}

/** Resolves on SIGINT or SIGTERM (once), so a command can stop its service in order. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

/** Kafka failures at start become one readable line (brokers named) instead of a stack. */
export function asKafkaError(error: unknown, brokers: string): unknown {
  if (error instanceof EmotionStreamError || !(error instanceof Error) || !error.name.startsWith('KafkaJS'))
    return error;
  return new KafkaUnavailableError(`Kafka at ${brokers}: ${error.message}`, {
    stage: 'ingest',
    cause: error,
  });
}
