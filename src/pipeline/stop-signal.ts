/**
 * How a running worker tells its partition loops to stop. `isStopping()` flips first (take no new
 * chunk); `abandon` fires a grace period later (stop waiting for the chunk in flight: its offsets
 * are not marked done, so it is fetched again by whoever owns the partition next).
 */
export interface StopSignal {
  isStopping(): boolean;
  /** Aborted when in-flight work should be abandoned. */
  readonly abandon: AbortSignal;
}

export interface StopController extends StopSignal {
  stop(graceMs: number): void;
}

export function createStopController(): StopController {
  let stopping = false;
  const controller = new AbortController();
  return {
    isStopping: () => stopping,
    abandon: controller.signal,
    stop(graceMs) {
      if (stopping) return;
      stopping = true;
      setTimeout(() => controller.abort(), graceMs).unref();
    },
  };
}

export const ABANDONED = Symbol('abandoned');

// Listeners are removed as soon as the work settles: a long-running worker must not pile up one
// per chunk on a signal that fires once.
function onAbandon(signal: StopSignal, listener: () => void): () => void {
  if (signal.abandon.aborted) {
    listener();
    return () => undefined;
  }
  signal.abandon.addEventListener('abort', listener, { once: true });
  return () => signal.abandon.removeEventListener('abort', listener);
}

/** Waits for `work` unless the stop signal abandons it first. */
export function unlessAbandoned<T>(work: Promise<T>, signal: StopSignal): Promise<T | typeof ABANDONED> {
  return new Promise((resolve, reject) => {
    const detach = onAbandon(signal, () => resolve(ABANDONED));
    work.then(
      (value) => {
        detach();
        resolve(value);
      },
      (error: unknown) => {
        detach();
        reject(error);
      },
    );
  });
}

/** A backoff sleep that ends early when in-flight work is abandoned. */
export function sleep(ms: number, signal: StopSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      detach();
      resolve();
    }, ms);
    const detach = onAbandon(signal, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
