import { InferenceFailedError, PoisonMessageError } from '../../../src/core';
import { retryWithBackoff, type RetryPolicy } from '../../../src/dlq/retry-policy';

// Tiny delays: these tests check the attempt logic, not the timing.
const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

describe('retryWithBackoff', () => {
  it('returns the value of the first success with the attempts it took', async () => {
    let calls = 0;
    const outcome = await retryWithBackoff(
      async () => {
        calls += 1;
        if (calls < 3) throw new InferenceFailedError('session crashed');
        return 'ok';
      },
      'infer',
      policy,
    );
    expect(outcome).toEqual({ ok: true, value: 'ok', attempts: 3 });
  });

  it('gives up after maxAttempts on a transient error and reports each retry', async () => {
    const retries: number[] = [];
    const outcome = await retryWithBackoff(
      async () => {
        throw new InferenceFailedError('still broken');
      },
      'infer',
      policy,
      { onRetry: (_, attempt) => retries.push(attempt) },
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.attempts).toBe(4);
    expect(outcome.error.code).toBe('INFERENCE_FAILED');
    expect(retries).toEqual([1, 2, 3]);
    expect(outcome.firstFailedAt).toBeLessThanOrEqual(Date.now());
  });

  it('does not retry poison', async () => {
    let calls = 0;
    const outcome = await retryWithBackoff(
      async () => {
        calls += 1;
        throw new PoisonMessageError('EMPTY_TEXT', 'empty');
      },
      'validate',
      policy,
    );
    expect(calls).toBe(1);
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 1,
      error: { code: 'EMPTY_TEXT', retriable: false },
    });
  });

  it('treats an unknown error as a bug: retried, then reported as UNEXPECTED', async () => {
    let calls = 0;
    const outcome = await retryWithBackoff(
      async () => {
        calls += 1;
        throw new TypeError('undefined is not a function');
      },
      'encode',
      policy,
    );
    expect(calls).toBe(4);
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 4,
      error: { code: 'UNEXPECTED', stage: 'encode', retriable: true },
    });
  });

  it('stops retrying once the signal is aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const outcome = await retryWithBackoff(
      async () => {
        calls += 1;
        controller.abort();
        throw new InferenceFailedError('shutting down');
      },
      'infer',
      policy,
      { signal: controller.signal },
    );
    expect(calls).toBe(1);
    expect(outcome).toMatchObject({ ok: false, attempts: 1 });
  });
});
