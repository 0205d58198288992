import type { Logger } from 'pino';

/** One shutdown step; `close` may be slow, it must not be skipped because an earlier step failed. */
export interface Cleanup {
  name: string;
  close(): Promise<void>;
}

/**
 * Runs cleanups one after another, each in its own try/catch, so a failing step (a broker that
 * is already gone) never keeps the later ones (closing Redis, the model) from running.
 * Resolves true when every step succeeded.
 */
export async function closeInOrder(cleanups: readonly Cleanup[], logger: Logger): Promise<boolean> {
  let clean = true;
  for (const cleanup of cleanups) {
    try {
      await cleanup.close();
      logger.debug({ step: cleanup.name }, 'shutdown step done');
    } catch (error) {
      clean = false;
      logger.error({ err: error, step: cleanup.name }, 'shutdown step failed');
    }
  }
  return clean;
}

export const TIMED_OUT = Symbol('timed out');

/**
 * Longest an application's cleanup may take after a failed start or a fatal error before it gives
 * up and exits: a client stuck on a broker that went away must not keep a dead process alive.
 */
export const CLEANUP_DEADLINE_MS = 5_000;

/**
 * Waits for `work` at most `deadlineMs`. The timer is unref'd: it never keeps a process alive that
 * has nothing else left to do. A rejection counts as settled (cleanup failures are logged by their step).
 */
export async function settleWithin<T>(
  work: Promise<T>,
  deadlineMs: number,
): Promise<T | undefined | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), deadlineMs);
    timer.unref();
  });
  try {
    return await Promise.race([work.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
