import type { EmotionStreamError } from '../core';

/** Hooks for metrics and tracing; every one is optional and must not throw. */
export interface PipelineObserver {
  /** A chunk is finished: its records acknowledged, its dead letters durable, its offsets marked. */
  chunkDone?(info: {
    topic: string;
    partition: number;
    size: number;
    produced: number;
    deadLettered: number;
    durationMs: number;
  }): void;
  /** A chunk's records were acknowledged by the output topic at `ackedAt`; `eventTimes` are their tweets' createdAt. */
  produced?(eventTimes: readonly number[], ackedAt: number): void;
  /** One item failed transiently and will be tried again. */
  retried?(error: EmotionStreamError): void;
}
