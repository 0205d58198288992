import type { EmotionStreamError } from '../core';
import type { LanguageDecision } from '../language';
import type { ProducedRecord } from './process-chunk';

/** Hooks for metrics and tracing; every one is optional and must not throw. */
export interface PipelineObserver {
  /** A chunk is finished: its records acknowledged, its dead letters durable, its offsets marked. */
  chunkDone?(info: {
    topic: string;
    partition: number;
    size: number;
    /** Records in the output topic and in the unclassified topic. */
    produced: number;
    deadLettered: number;
    durationMs: number;
  }): void;
  /** A chunk's records (output and unclassified topics) were acknowledged at `ackedAt`. */
  produced?(records: readonly ProducedRecord[], ackedAt: number): void;
  /** The language gate's decisions for a chunk whose records were acknowledged. */
  languagesDecided?(decisions: readonly LanguageDecision[]): void;
  /** One item failed transiently and will be tried again. */
  retried?(error: EmotionStreamError): void;
}
