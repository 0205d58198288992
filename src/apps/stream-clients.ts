import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { createCodec, type Codec } from '../codec';
import { registryCodecOptions } from '../config/schema-registry-settings';
import { loadKafkaConnection } from '../config/worker-config';
import { WORKER_SETTING_TABLE } from '../config/worker-settings';
import { EmotionStreamError, KafkaUnavailableError } from '../core';
import { createKafkaClient } from '../kafka/kafka-client';
import { probeKafka } from '../kafka/kafka-probe';

/** How the applications beside the worker (alerts, dashboard) reach Kafka and read the output topic. */
export interface StreamConnection {
  brokers: string;
  clientId: string;
  outputTopic: string;
  alertTopic: string;
  schemaRegistryUrl?: string;
}

function connectionFrom(stream: Pick<StreamConnection, 'brokers' | 'clientId'>) {
  // The worker's TLS and SASL settings (KAFKA_SSL*, KAFKA_SASL*) apply, so these reach every cluster it reaches.
  return loadKafkaConnection({
    ...process.env,
    KAFKA_BROKERS: stream.brokers,
    KAFKA_CLIENT_ID: stream.clientId,
  });
}

/** A Kafka client for the stream's brokers, with the worker's TLS and SASL settings. */
export function kafkaFrom(stream: Pick<StreamConnection, 'brokers' | 'clientId'>, logger: Logger): Kafka {
  return createKafkaClient(connectionFrom(stream), logger);
}

/** A Kafka client, after checking that Kafka answers within KAFKA_CONNECT_TIMEOUT_MS (else KafkaUnavailableError). */
export async function reachableKafka(stream: StreamConnection, logger: Logger): Promise<Kafka> {
  const connection = connectionFrom(stream);
  await probeKafka(connection, logger);
  return createKafkaClient(connection, logger);
}

/** The codec that reads the worker's output topic: raw Avro, or Confluent with a schema registry. */
export function outputCodec(stream: StreamConnection): Promise<Codec> {
  return createCodec({
    ...registryCodecOptions(stream.schemaRegistryUrl),
    inputTopic: process.env.INPUT_TOPIC ?? WORKER_SETTING_TABLE.INPUT_TOPIC.defaultText,
    outputTopic: stream.outputTopic,
    registerOnStart: false,
  });
}

/** Resolves on SIGINT or SIGTERM (once), so an application can stop in order. */
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
