import type { DeadLetterSink } from '../core';
import type { Metrics } from '../telemetry';
import type { PipelineObserver } from './pipeline-observer';

/**
 * Feeds the Prometheus metrics from the pipeline's hooks. Dead letters are not counted here: what
 * the pipeline hands to its dead-letter sink may still go to the retry queue, so they are counted
 * where they become durable (see countDeadLetters).
 */
export function metricsObserver(metrics: Metrics): PipelineObserver {
  return {
    chunkDone(info) {
      metrics.messagesConsumed.inc({ topic: info.topic, partition: String(info.partition) }, info.size);
    },
    produced(records, ackedAt) {
      for (const record of records) metrics.recordProduced(record.topic, record.eventTime, ackedAt);
    },
    languagesDecided(decisions) {
      for (const decision of decisions)
        metrics.recordLanguageDecision(decision.outcome, decision.language, decision.source);
    },
    retried(error) {
      metrics.recordRetry(error.stage, error.code);
    },
  };
}

/** The dead-letter store, counting each entry once it is durable (by stage and error code). */
export function countDeadLetters(sink: DeadLetterSink, metrics: Metrics): DeadLetterSink {
  return {
    async deadLetter(envelope, error, attempts, failure) {
      await sink.deadLetter(envelope, error, attempts, failure);
      metrics.recordDeadLetter(error.stage, error.code);
    },
  };
}
