import IORedis from 'ioredis';
import { RedisUnavailableError, redactText, redactUrl } from '../core';

/**
 * Connects to Redis and PINGs once within `timeoutMs`: a worker that cannot reach its dead-letter
 * store exits at start with one line (URL shown without its password) rather than starting to
 * consume and pausing on the first dead letter.
 */
export async function probeRedis(url: string, timeoutMs: number): Promise<void> {
  const client = new IORedis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => (lastError = error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const reason = redactText((lastError ?? (error as Error)).message);
    throw new RedisUnavailableError(
      `Redis at ${redactUrl(url)} is unreachable: ${reason}; check REDIS_URL (host, port, password, TLS with rediss://)`,
      { cause: error },
    );
  } finally {
    client.disconnect();
  }
}
