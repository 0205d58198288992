import IORedis, { type Redis } from 'ioredis';
import type { ReadinessCheck } from './readiness';

/** A readiness check bound to its own Redis connection, closed with the ops server. */
export interface RedisReadinessCheck {
  check: ReadinessCheck;
  close(): Promise<void>;
}

/**
 * "Redis reachable" for /readyz: PING on a dedicated connection. It has no offline queue, so a PING
 * while Redis is down fails at once instead of hanging until the probe times out, and it keeps
 * reconnecting so the check passes again by itself when Redis returns.
 */
export function redisReadinessCheck(url: string, timeoutMs = 500): RedisReadinessCheck {
  const client: Redis = new IORedis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(100 * times, 1000),
  });
  // Connection errors surface through failing PINGs; without a listener ioredis would print them.
  client.on('error', () => undefined);
  return {
    check: async () => {
      const reply = await client.ping();
      if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
    },
    close: async () => {
      client.disconnect();
    },
  };
}
