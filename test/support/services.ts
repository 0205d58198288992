import { randomUUID } from 'node:crypto';

// Where the real services are; the jest global setup exports these. A test that needs a
// service and has none fails here with the reason rather than skipping.
function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests through jest (the global setup starts the services) or run scripts/services up`);
  }
  return value;
}

export const kafkaBrokers = (): string[] => required('KAFKA_BROKERS').split(',');
export const redisUrl = (): string => required('REDIS_URL');
export const schemaRegistryUrl = (): string => required('SCHEMA_REGISTRY_URL');

/** A topic/queue/group name no other test run uses, so suites can share one broker. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;
