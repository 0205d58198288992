import { EmotionStreamError } from '../core';

/** `add()` was called while the batcher's queue was full: the caller should pause and retry. */
export class BatcherQueueFullError extends EmotionStreamError {
  constructor(maxQueue: number) {
    super(`micro-batcher queue is full (${maxQueue} items); wait for capacity before adding`, {
      code: 'BATCHER_QUEUE_FULL',
      stage: 'infer',
      retriable: true,
    });
  }
}
