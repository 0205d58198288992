import type { Logger } from 'pino';
import type { KafkaConnectionConfig } from '../config/worker-config';
import { KafkaUnavailableError, redactText, settleWithin, TIMED_OUT } from '../core';
import { createKafkaClient } from './kafka-client';

/**
 * Connects an admin client once, within `connection.connectTimeoutMs`, so a process that cannot
 * reach Kafka fails its start with one line naming the brokers and settings to check, instead of
 * retrying (kafkajs backs off for tens of seconds) while a supervisor waits for it to exit.
 */
export async function probeKafka(connection: KafkaConnectionConfig, logger: Logger): Promise<void> {
  // Few quick retries (its own client): a refused connection reports its reason well inside the deadline.
  const probe = createKafkaClient(connection, logger, {
    retries: 2,
    initialRetryTime: 200,
    maxRetryTime: 1_000,
  });
  const admin = probe.admin();
  const connecting = admin.connect();
  const outcome = await settleWithin(
    connecting.then(
      () => undefined,
      (error: unknown) => error,
    ),
    connection.connectTimeoutMs,
  );
  void admin.disconnect().catch(() => undefined);
  if (outcome === undefined) return;
  const reason =
    outcome === TIMED_OUT
      ? `no answer within ${connection.connectTimeoutMs} ms (KAFKA_CONNECT_TIMEOUT_MS)`
      : redactText(outcome instanceof Error ? outcome.message : String(outcome));
  throw new KafkaUnavailableError(
    `Kafka at ${connection.brokers.join(',')} is unreachable: ${reason}; check KAFKA_BROKERS, KAFKA_SSL* and KAFKA_SASL*`,
    { stage: 'ingest', cause: outcome === TIMED_OUT ? undefined : outcome },
  );
}
