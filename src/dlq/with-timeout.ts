import { classifyError, RedisUnavailableError } from '../core';

/**
 * Runs one Redis operation and maps its failure to the taxonomy: a missing answer after `timeoutMs`
 * (BullMQ waits for the first connection without a limit) or a connection error becomes
 * RedisUnavailableError, so callers can pause instead of hanging.
 */
export async function redisOperation<T>(
  what: string,
  timeoutMs: number,
  operation: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RedisUnavailableError(`Redis did not answer ${what} within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([operation(), timeout]);
  } catch (error) {
    throw classifyError(error, 'dlq');
  } finally {
    clearTimeout(timer);
  }
}
