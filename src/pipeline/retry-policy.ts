import type { RetryPolicy } from '../dlq/retry-policy';

// One retry policy for the whole worker: the same settings (RETRY_MAX_ATTEMPTS, ...) drive the
// in-process retries of a chunk and the dead-letter queue's retries.
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../dlq/retry-policy';

/** Exponential backoff with jitter (half fixed, half random) after the given failed attempt (1-based). */
export function backoffDelayMs(
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  attempt: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
