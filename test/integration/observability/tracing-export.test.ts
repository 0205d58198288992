import { context, trace } from '@opentelemetry/api';
import { ChunkTrace, startTracing } from '../../../src/telemetry';
import { OtlpReceiver, attribute } from './otlp-receiver';

// The SDK as configured by OTEL_* variables exports to a real OTLP/HTTP endpoint, in both wire formats.

const inputTraceId = '0af7651916cd43dd8448eb211c80319c';
const inputSpanId = 'b7ad6b7169203331';
const message = {
  topic: 'tweets',
  partition: 0,
  offset: '42',
  headers: { traceparent: Buffer.from(`00-${inputTraceId}-${inputSpanId}-01`) },
};

const otelVariables = [
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_SERVICE_NAME',
];

describe('tracing export over OTLP/HTTP', () => {
  const receiver = new OtlpReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  afterEach(() => {
    for (const name of otelVariables) delete process.env[name];
  });

  async function exportOneBatch(protocol: string) {
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = receiver.tracesUrl;
    process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = protocol;
    process.env.OTEL_SERVICE_NAME = 'emotion-stream-test';
    const tracing = startTracing({ env: process.env });
    expect(tracing.enabled).toBe(true);
    const batch = ChunkTrace.start(tracing.tracer, [message]);
    await batch.stage('infer', async () => {
      // The SDK registered a real context manager: the stage's span is active inside.
      expect(trace.getSpan(context.active())?.isRecording()).toBe(true);
    });
    batch.end();
    await tracing.shutdown();
    return batch;
  }

  it('sends JSON (http/json) spans whose trace id is the input header', async () => {
    const batch = await exportOneBatch('http/json');
    const enrich = receiver.spans.find((span) => span.name === 'enrich tweets');
    expect(enrich).toMatchObject({ traceId: inputTraceId, parentSpanId: inputSpanId });
    expect(Number(attribute(enrich!, 'messaging.kafka.offset'))).toBe(42);
    const batchSpan = receiver.spans.find((span) => span.name === 'process tweets');
    expect(batchSpan?.links).toEqual([
      expect.objectContaining({ traceId: inputTraceId, spanId: inputSpanId }),
    ]);
    expect(receiver.spans.find((span) => span.name === 'infer')?.parentSpanId).toBe(
      batch.span.spanContext().spanId,
    );
    expect(receiver.resources[0]['service.name']).toBe('emotion-stream-test');
  });

  it('sends protobuf (http/protobuf, the default) carrying the input trace id', async () => {
    await exportOneBatch('http/protobuf');
    expect(receiver.contentTypes).toContain('application/x-protobuf');
    // OTLP protobuf carries trace ids as 16 raw bytes.
    expect(receiver.protobufBodies.some((body) => body.includes(Buffer.from(inputTraceId, 'hex')))).toBe(
      true,
    );
  });
});
