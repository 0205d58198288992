/**
 * How a transiently failing record is retried — one policy for the whole worker: the same settings
 * (RETRY_MAX_ATTEMPTS, RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS) drive the in-process retries of a
 * chunk (pipeline/with-retries.ts) and the BullMQ retry queue (dlq/bullmq-retry-queue.ts).
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; then the record is dead-lettered. @defaultValue 5 */
  maxAttempts: number;
  /** Delay ceiling before the 2nd attempt; doubles each time (see backoffDelayMs). @defaultValue 200 */
  baseDelayMs: number;
  /** Cap on one delay. @defaultValue 5000 */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5000 };

/**
 * Exponential backoff with half jitter after the given failed attempt (1-based): a random delay
 * between half and all of min(maxDelayMs, baseDelayMs x 2^(attempt-1)) — BullMQ's retry queue uses
 * the same shape (exponential, jitter 0.5), so both paths back off alike.
 */
export function backoffDelayMs(
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  attempt: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
