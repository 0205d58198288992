import { EmotionStreamError } from '../core';

/** An item was added after `close()`. */
export class BatcherClosedError extends EmotionStreamError {
  constructor() {
    super('micro-batcher is closed', { code: 'BATCHER_CLOSED', stage: 'infer', retriable: true });
  }
}
