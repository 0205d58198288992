import { backOff } from 'exponential-backoff';
import { classifyError, type EmotionStreamError, type Stage } from '../core';

/** How a transiently failing operation is retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included; then the message is dead-lettered. @defaultValue 5 */
  maxAttempts: number;
  /** Delay before the 2nd attempt; doubles each time, with full jitter (a random 0..delay). @defaultValue 200 */
  baseDelayMs: number;
  /** Cap on one delay. @defaultValue 5000 */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5000 };

export type RetryOutcome<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; error: EmotionStreamError; attempts: number; firstFailedAt: number };

export interface RetryHooks {
  /** Called after each failed attempt that will be retried (for logs and metrics). */
  onRetry?: (error: EmotionStreamError, attempt: number) => void;
  /** Stop retrying (e.g. on shutdown): the last failure is returned at once. */
  signal?: AbortSignal;
}

/**
 * Runs `operation` and retries it with exponential backoff and full jitter while it fails with a
 * retriable error (transient, or a bug), up to `policy.maxAttempts`. Poison fails at once. Never
 * throws: the outcome says what happened and how many attempts it took, so the caller can
 * dead-letter the message with the right count. Used in-process by the hot path, where a short
 * blip (an inference worker restarting, a registry hiccup) should not cost a DLQ round trip.
 */
export async function retryWithBackoff<T>(
  operation: (attempt: number) => Promise<T>,
  stage: Stage,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  hooks: RetryHooks = {},
): Promise<RetryOutcome<T>> {
  let attempts = 0;
  let firstFailedAt: number | undefined;
  try {
    const value = await backOff(
      () => {
        attempts += 1;
        return operation(attempts);
      },
      {
        numOfAttempts: policy.maxAttempts,
        startingDelay: policy.baseDelayMs,
        timeMultiple: 2,
        maxDelay: policy.maxDelayMs,
        jitter: 'full',
        retry: (raw: unknown) => {
          firstFailedAt ??= Date.now();
          const error = classifyError(raw, stage);
          if (!error.retriable || hooks.signal?.aborted || attempts >= policy.maxAttempts) return false;
          hooks.onRetry?.(error, attempts);
          return true;
        },
      },
    );
    return { ok: true, value, attempts };
  } catch (raw) {
    return {
      ok: false,
      error: classifyError(raw, stage),
      attempts,
      firstFailedAt: firstFailedAt ?? Date.now(),
    };
  }
}
