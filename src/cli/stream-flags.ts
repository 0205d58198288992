import { Option } from 'commander';
import { LOG_LEVELS, WORKER_SETTING_TABLE } from '../config/worker-settings';
import type { StreamConnection } from '../apps/stream-clients';
import { ConfigError } from '../core';

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
      .default(WORKER_SETTING_TABLE.KAFKA_BROKERS.defaultText),
    new Option('--client-id <id>', 'Kafka client id')
      .env('KAFKA_CLIENT_ID')
      .default(WORKER_SETTING_TABLE.KAFKA_CLIENT_ID.defaultText),
    new Option('--output-topic <topic>', 'topic of enriched events (what the worker writes)')
      .env('OUTPUT_TOPIC')
      .default(WORKER_SETTING_TABLE.OUTPUT_TOPIC.defaultText),
    new Option('--alert-topic <topic>', 'topic of emotion spike alerts (Avro, schemas/emotion-alert.avsc)')
      .env('ALERT_TOPIC')
      .default('emotion.alerts'),
    new Option(
      '--schema-registry-url <url>',
      "set when the worker writes the Confluent wire format (default: raw Avro); basic auth from SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO or the URL's user info",
    ).env('SCHEMA_REGISTRY_URL'),
    new Option('--log-level <level>', 'pino log level')
      .env('LOG_LEVEL')
      .default(WORKER_SETTING_TABLE.LOG_LEVEL.defaultText)
      .choices(LOG_LEVELS),
  ];
}

/** The trimmed, non-empty items of a comma-separated flag. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The flags as the applications take them. */
export function streamConnection(flags: StreamFlags): StreamConnection {
  return {
    brokers: flags.brokers,
    clientId: flags.clientId,
    outputTopic: flags.outputTopic,
    alertTopic: flags.alertTopic,
    schemaRegistryUrl: flags.schemaRegistryUrl,
  };
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
