import { Registry, register as globalRegistry } from 'prom-client';
import { Metrics, METRIC_PREFIX } from '../../../src/telemetry';

async function valueOf(
  metrics: Metrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((value) =>
    Object.entries(labels).every(([key, wanted]) => String(value.labels[key]) === wanted),
  );
  return match?.value;
}

describe('Metrics', () => {
  it('registers every metric in its own registry, never the global one', async () => {
    const before = globalRegistry.getMetricsAsArray().length;
    const metrics = new Metrics({ defaultMetrics: false });
    expect(globalRegistry.getMetricsAsArray().length).toBe(before);
    const names = metrics.registry.getMetricsAsArray().map((metric) => metric.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'emotion_stream_messages_consumed_total',
        'emotion_stream_messages_produced_total',
        'emotion_stream_messages_dead_lettered_total',
        'emotion_stream_messages_retried_total',
        'emotion_stream_batch_size',
        'emotion_stream_inference_duration_seconds',
        'emotion_stream_end_to_end_latency_seconds',
        'emotion_stream_consumer_lag',
        'emotion_stream_batcher_queue_depth',
        'emotion_stream_model_info',
        'emotion_stream_ready',
        'emotion_stream_readiness_check',
      ]),
    );
    expect(names.every((name) => name.startsWith(METRIC_PREFIX))).toBe(true);
  });

  it('two instances do not clash (a registry each)', () => {
    expect(() => [
      new Metrics({ defaultMetrics: false }),
      new Metrics({ defaultMetrics: false }),
    ]).not.toThrow();
  });

  it('includes process and event-loop metrics by default', async () => {
    const metrics = new Metrics({ registry: new Registry() });
    const text = (await metrics.expose()).body;
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('counts produced records with their end-to-end latency, clamping a future event time to zero', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.recordProduced('out', 1_000, 3_500);
    metrics.recordProduced('out', 9_000, 3_500);
    expect(await valueOf(metrics, 'emotion_stream_messages_produced_total', { topic: 'out' })).toBe(2);
    const text = (await metrics.expose()).body;
    expect(text).toContain('emotion_stream_end_to_end_latency_seconds_sum 2.5');
    expect(text).toContain('emotion_stream_end_to_end_latency_seconds_count 2');
  });

  it('labels dead letters and retries by stage and reason', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.recordDeadLetter('decode', 'AVRO_INVALID');
    metrics.recordDeadLetter('decode', 'AVRO_INVALID');
    metrics.recordRetry('produce', 'KAFKA_UNAVAILABLE');
    expect(
      await valueOf(metrics, 'emotion_stream_messages_dead_lettered_total', {
        stage: 'decode',
        reason: 'AVRO_INVALID',
      }),
    ).toBe(2);
    expect(
      await valueOf(metrics, 'emotion_stream_messages_retried_total', { reason: 'KAFKA_UNAVAILABLE' }),
    ).toBe(1);
  });

  it('exposes the model as an info gauge, replacing a previous model', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.setModel({ name: 'a', version: '1', labels: ['joy'] });
    metrics.setModel({ name: 'minilm', version: '2', labels: ['sadness', 'joy'] });
    const info = await metrics.registry.getSingleMetric('emotion_stream_model_info')?.get();
    expect(info?.values).toEqual([
      { value: 1, labels: { model: 'minilm', version: '2', labels: 'sadness,joy' } },
    ]);
  });

  it('reads lag and queue depth from their sources at scrape time', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    let lag = 5;
    metrics.observeLag(async () => [
      { topic: 't', partition: 0, lag },
      { topic: 't', partition: 1, lag: 0 },
    ]);
    metrics.observeQueueDepth(() => 17);
    expect(await valueOf(metrics, 'emotion_stream_consumer_lag', { partition: '0' })).toBe(5);
    lag = 9;
    expect(await valueOf(metrics, 'emotion_stream_consumer_lag', { partition: '0' })).toBe(9);
    expect(await valueOf(metrics, 'emotion_stream_batcher_queue_depth')).toBe(17);
  });

  it('keeps the last lag and counts the error when the source fails', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    let fail = false;
    metrics.observeLag(async () => {
      if (fail) throw new Error('broker down');
      return [{ topic: 't', partition: 0, lag: 3 }];
    });
    expect(await valueOf(metrics, 'emotion_stream_consumer_lag')).toBe(3);
    fail = true;
    expect(await valueOf(metrics, 'emotion_stream_consumer_lag')).toBe(3);
    expect(
      await valueOf(metrics, 'emotion_stream_metric_collection_errors_total', { metric: 'consumer_lag' }),
    ).toBe(1);
  });
});
