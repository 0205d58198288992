import { readFileSync } from 'node:fs';
import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaConnectionConfig } from '../config/worker-config';

const toPino: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/**
 * One kafkajs client for the consumer, the producers and the admin, with TLS files read once and
 * kafkajs' own log lines sent through pino (warnings and errors only: its info lines are chatty).
 */
export function createKafkaClient(
  connection: KafkaConnectionConfig,
  logger: Logger,
  retry?: KafkaConfig['retry'],
): Kafka {
  const ssl: KafkaConfig['ssl'] =
    connection.ssl === false
      ? false
      : {
          rejectUnauthorized: connection.ssl.rejectUnauthorized,
          ca: connection.ssl.caFile ? [readFileSync(connection.ssl.caFile, 'utf8')] : undefined,
          cert: connection.ssl.certFile ? readFileSync(connection.ssl.certFile, 'utf8') : undefined,
          key: connection.ssl.keyFile ? readFileSync(connection.ssl.keyFile, 'utf8') : undefined,
        };
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: connection.clientId,
    brokers: connection.brokers,
    ssl,
    sasl: connection.sasl
      ? ({
          mechanism: connection.sasl.mechanism,
          username: connection.sasl.username,
          password: connection.sasl.password,
        } as KafkaConfig['sasl'])
      : undefined,
    retry,
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        // kafkajs logs every error response at ERROR before it retries it (a coordinator still
        // loading, a leader moving); those are routine, so they go to debug.
        const routine = typeof message === 'string' && message.startsWith('Response ');
        kafkaLogger[routine ? 'debug' : (toPino[level] ?? 'info')](extra, message);
      },
  });
}
