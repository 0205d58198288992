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
      metrics.messagesDeadLettered.inc({ stage: item.error.stage, reason: item.error.code });
    },
  };
}
