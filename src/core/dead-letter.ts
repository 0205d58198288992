import type { Envelope } from './envelope';
import type { EmotionStreamError } from './errors';

/**
 * Where a message goes when it cannot become an enriched event. `deadLetter` resolves only once
 * the entry is durable (e.g. acknowledged by Redis), because the pipeline commits the message's
 * offset right after; it rejects when the store is unavailable so the pipeline can stop committing.
 */
export interface DeadLetterSink {
  deadLetter(envelope: Envelope, error: EmotionStreamError, attempts: number): Promise<void>;
}
