import { tracingDecision, startTracing } from '../../../src/telemetry';

describe('tracingDecision', () => {
  it('is off without an endpoint', () => {
    expect(tracingDecision({}).enabled).toBe(false);
    expect(tracingDecision({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).enabled).toBe(false);
  });

  it('is on with a general or a traces endpoint', () => {
    expect(tracingDecision({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      enabled: true,
      reason: 'OTEL_EXPORTER_OTLP_ENDPOINT is set',
    });
    expect(tracingDecision({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }).enabled).toBe(
      true,
    );
  });

  it('is off when disabled, whatever else is set', () => {
    expect(
      tracingDecision({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).enabled,
    ).toBe(false);
    expect(
      tracingDecision({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).enabled,
    ).toBe(false);
  });

  it('is on for an explicit non-OTLP exporter such as console', () => {
    expect(tracingDecision({ OTEL_TRACES_EXPORTER: 'console' }).enabled).toBe(true);
    expect(tracingDecision({ OTEL_TRACES_EXPORTER: 'otlp' }).enabled).toBe(false);
  });

  it('gives a working no-op tracer when off', async () => {
    const tracing = startTracing({ env: {} });
    expect(tracing.enabled).toBe(false);
    const span = tracing.tracer.startSpan('x');
    expect(span.isRecording()).toBe(false);
    span.end();
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });
});
