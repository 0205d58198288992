import { EmotionStreamError, type Stage } from './emotion-stream-error';

/**
 * Anything nobody raised on purpose: a bug. It is logged loudly and treated as transient (retried up
 * to the attempt limit, then dead-lettered with this code) so one bug cannot stall a partition and
 * the original bytes are kept for a replay once the bug is fixed.
 */
export class UnexpectedError extends EmotionStreamError {
  constructor(message: string, stage: Stage, cause?: unknown) {
    super(message, { code: 'UNEXPECTED', stage, retriable: true, cause });
  }
}
