import { EmotionStreamError, type DeadLetterSink, type Envelope } from '../../../src/core';
import { countDeadLetters, metricsObserver } from '../../../src/pipeline/metrics-observer';
import { Metrics } from '../../../src/telemetry';

const envelope: Envelope = {
  topic: 'in',
  partition: 0,
  offset: '1',
  timestamp: '0',
  key: null,
  value: null,
  headers: {},
};
const poison = new EmotionStreamError('not Avro', {
  code: 'AVRO_INVALID',
  stage: 'decode',
  retriable: false,
});

async function value(metrics: Metrics, name: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).reduce((sum, sample) => sum + sample.value, 0);
}

describe('metricsObserver', () => {
  it('counts consumed per chunk, produced with end-to-end latency, and retries by reason', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const observer = metricsObserver(metrics);
    observer.chunkDone?.({ topic: 'in', partition: 1, size: 3, produced: 2, deadLettered: 1, durationMs: 5 });
    observer.produced?.(
      [
        { topic: 'out', eventTime: 1_000 },
        { topic: 'out', eventTime: 2_000 },
      ],
      3_000,
    );
    observer.retried?.(
      new EmotionStreamError('down', { code: 'REGISTRY_UNAVAILABLE', stage: 'decode', retriable: true }),
    );
    expect(await value(metrics, 'emotion_stream_messages_consumed_total')).toBe(3);
    expect(await value(metrics, 'emotion_stream_messages_produced_total')).toBe(2);
    const text = (await metrics.expose()).body;
    expect(text).toContain('emotion_stream_end_to_end_latency_seconds_sum 3');
    expect(text).toContain(
      'emotion_stream_messages_retried_total{stage="decode",reason="REGISTRY_UNAVAILABLE"} 1',
    );
  });

  it('counts records per topic and language decisions with a bounded language label', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const observer = metricsObserver(metrics);
    observer.produced?.(
      [
        { topic: 'out', eventTime: 1_000 },
        { topic: 'out.unclassified', eventTime: 1_000 },
      ],
      2_000,
    );
    observer.languagesDecided?.([
      { outcome: 'classify', language: 'en', source: 'producer', determined: true },
      { outcome: 'unsupported', language: 'es', source: 'detected', confidence: 0.9, determined: true },
      { outcome: 'unsupported', language: 'sw', source: 'producer', determined: true },
      { outcome: 'unsupported', language: 'eo', source: 'producer', determined: true },
      { outcome: 'undetermined', source: 'none', determined: false },
    ]);
    const text = (await metrics.expose()).body;
    expect(text).toContain('emotion_stream_messages_produced_total{topic="out"} 1');
    expect(text).toContain('emotion_stream_messages_produced_total{topic="out.unclassified"} 1');
    const decisions = 'emotion_stream_language_decisions_total';
    expect(text).toContain(`${decisions}{outcome="classify",language="en",source="producer"} 1`);
    expect(text).toContain(`${decisions}{outcome="unsupported",language="es",source="detected"} 1`);
    expect(text).toContain(`${decisions}{outcome="unsupported",language="other",source="producer"} 2`);
    expect(text).toContain(`${decisions}{outcome="undetermined",language="none",source="none"} 1`);
  });
});

describe('countDeadLetters', () => {
  it('counts an entry once the store has it', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const stored: string[] = [];
    const store: DeadLetterSink = { deadLetter: async (item) => void stored.push(item.offset) };
    await countDeadLetters(store, metrics).deadLetter(envelope, poison, 1);
    expect(stored).toEqual(['1']);
    const text = (await metrics.expose()).body;
    expect(text).toContain(
      'emotion_stream_messages_dead_lettered_total{stage="decode",reason="AVRO_INVALID"} 1',
    );
  });

  it('does not count when the store fails (the record is not dead-lettered)', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const store: DeadLetterSink = { deadLetter: async () => Promise.reject(new Error('Redis down')) };
    await expect(countDeadLetters(store, metrics).deadLetter(envelope, poison, 1)).rejects.toThrow(
      'Redis down',
    );
    expect(await value(metrics, 'emotion_stream_messages_dead_lettered_total')).toBe(0);
  });
});
