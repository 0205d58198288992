import type { EmotionStreamError } from '../core';
import { backoffDelayMs, type RetryPolicy } from '../core';
import { sleep, type StopSignal } from './stop-signal';

export type Attempted<O> =
  { ok: true; value: O } | { ok: false; error: EmotionStreamError; attempts: number; firstFailedAt: number };

/**
 * Runs a batch step and runs it again, with backoff, for just the items that failed with a
 * retriable error, until they succeed or reach `maxAttempts`. Poison (non-retriable) fails at
 * once. Results keep the input order. Once the worker abandons in-flight work, no more retries.
 */
export async function withRetries<I, O>(
  inputs: readonly I[],
  run: (batch: readonly I[]) => Promise<Array<O | EmotionStreamError>>,
  isError: (value: O | EmotionStreamError) => value is EmotionStreamError,
  policy: RetryPolicy,
  signal: StopSignal,
  now: () => number = Date.now,
  /** Told about each failure that will be tried again (retry metrics). */
  onRetry?: (error: EmotionStreamError) => void,
): Promise<Array<Attempted<O>>> {
  const results: Array<Attempted<O> | undefined> = new Array(inputs.length);
  let pending = inputs.map((_, index) => index);
  const firstFailedAt = new Map<number, number>();
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > 1) await sleep(backoffDelayMs(policy, attempt - 1), signal);
    const outputs = await run(pending.map((index) => inputs[index]));
    const retry: number[] = [];
    pending.forEach((index, position) => {
      const output = outputs[position];
      if (!isError(output)) {
        results[index] = { ok: true, value: output };
        return;
      }
      if (!firstFailedAt.has(index)) firstFailedAt.set(index, now());
      if (output.retriable && attempt < policy.maxAttempts && !signal.abandon.aborted) {
        retry.push(index);
        onRetry?.(output);
      } else {
        results[index] = {
          ok: false,
          error: output,
          attempts: attempt,
          firstFailedAt: firstFailedAt.get(index) ?? now(),
        };
      }
    });
    pending = retry;
  }
  return results as Array<Attempted<O>>;
}
