import IORedis, { type Redis } from 'ioredis';

export interface DlqRedisOptions {
  /** Longest wait for a connection or a command's reply, ms. @defaultValue 2000 */
  timeoutMs?: number;
  /** Called with connection errors (ioredis keeps reconnecting in the background). */
  onError?: (error: Error) => void;
}

/**
 * A Redis client that fails fast instead of queueing: with ioredis' defaults a command sent while
 * Redis is down waits in an offline queue (or retries 20 times), so `deadLetter()` would hang and the
 * pipeline could not tell it must stop committing. Here a command rejects at once when the connection
 * is down and after `timeoutMs` when Redis does not answer, while the client keeps reconnecting
 * so the store works again on its own when Redis returns.
 */
export function createFailFastRedis(url: string, options: DlqRedisOptions = {}): Redis {
  const timeoutMs = options.timeoutMs ?? 2000;
  const client = new IORedis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // Never give up reconnecting (null would end the client for good); cap the wait at 2 s.
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
  client.on('error', (error: Error) => options.onError?.(error));
  return client;
}

/**
 * A client for BullMQ's blocking Worker connections (the retry queue), which BullMQ requires to
 * retry commands forever (`maxRetriesPerRequest: null`).
 */
export function createBlockingRedis(url: string, onError?: (error: Error) => void): Redis {
  const client = new IORedis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
  client.on('error', (error: Error) => onError?.(error));
  return client;
}
