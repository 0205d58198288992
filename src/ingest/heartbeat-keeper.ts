/**
 * kafkajs only heartbeats between batches; a model run over a big batch can outlast the session
 * timeout. While a batch is being processed this calls `heartbeat` on a timer (inference runs in
 * worker threads, so the event loop is free to fire it). kafkajs throttles the real request to its
 * heartbeatInterval, so a short timer costs nothing.
 *
 * A heartbeat that fails (typically "the group is rebalancing") is kept, not thrown from the
 * timer: the batch loop reads `failure()` between chunks and rethrows it, so kafkajs commits what
 * is finished and rejoins the group.
 */
export interface HeartbeatKeeper {
  failure(): unknown;
  stop(): void;
}

export function keepHeartbeating(heartbeat: () => Promise<void>, intervalMs: number): HeartbeatKeeper {
  let failure: unknown;
  let beating = false;
  const timer = setInterval(() => {
    if (beating || failure !== undefined) return;
    beating = true;
    heartbeat()
      .catch((error: unknown) => {
        failure = error;
      })
      .finally(() => {
        beating = false;
      });
  }, intervalMs);
  timer.unref();
  return {
    failure: () => failure,
    stop: () => clearInterval(timer),
  };
}
