import type { Metrics } from '../telemetry';
import type { PipelineObserver } from './pipeline-observer';

/** Feeds the Prometheus metrics from the pipeline's hooks. */
export function metricsObserver(metrics: Metrics, outputTopic: string): PipelineObserver {
  return {
    chunkDone(info) {
      metrics.messagesConsumed.inc({ topic: info.topic, partition: String(info.partition) }, info.size);
      if (info.produced > 0) metrics.messagesProduced.inc({ topic: outputTopic }, info.produced);
    },
    deadLettered(item) {
      metrics.recordDeadLetter(item.error.stage, item.error.code);
    },
    produced(eventTimes, ackedAt) {
      for (const eventTime of eventTimes)
        metrics.endToEndLatency.observe(Math.max(0, ackedAt - eventTime) / 1000);
    },
    retried(error) {
      metrics.recordRetry(error.stage, error.code);
    },
  };
}
