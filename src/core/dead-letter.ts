import type { Envelope } from './envelope';
import type { EmotionStreamError } from './errors';

/** What the caller knows about a message's failures beyond the last error. */
export interface DeadLetterFailure {
  /** When the first attempt failed, epoch ms; defaults to the moment of dead-lettering. */
  firstFailedAt?: number;
}

/**
 * Where a message goes when it cannot become an enriched event. `deadLetter` resolves only once
 * the entry is durable (e.g. acknowledged by Redis), because the pipeline commits the message's
 * offset right after; it rejects when the store is unavailable so the pipeline can stop committing.
 */
export interface DeadLetterSink {
  deadLetter(
    envelope: Envelope,
    error: EmotionStreamError,
    attempts: number,
    failure?: DeadLetterFailure,
  ): Promise<void>;
}
