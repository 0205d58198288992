import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { EmotionStreamError } from '../../../src/core';
import { ChunkTrace, remoteSpanContext, type TracedMessage } from '../../../src/telemetry';

function setup() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer('test') };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
function message(i: number, traced = true): TracedMessage {
  const headers = traced ? { traceparent: Buffer.from(`00-${hex(i + 1, 32)}-${hex(i + 1, 16)}-01`) } : {};
  return { topic: 'tweets', partition: 2, offset: String(100 + i), headers };
}

describe('ChunkTrace', () => {
  it('starts a root consumer span linked to each producer context with messaging attributes', () => {
    const { exporter, tracer } = setup();
    const messages = [message(0), message(1), message(2, false)];
    const batch = ChunkTrace.start(tracer, messages, { consumerGroup: 'g1' });
    batch.end();
    const spans = exporter.getFinishedSpans();
    const batchSpan = spans.find((span) => span.name === 'process tweets');
    expect(batchSpan).toBeDefined();
    expect(batchSpan?.kind).toBe(SpanKind.CONSUMER);
    expect(batchSpan?.parentSpanContext).toBeUndefined();
    expect(batchSpan?.links.map((link) => link.context.traceId)).toEqual([hex(1, 32), hex(2, 32)]);
    expect(batchSpan?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'tweets',
      'messaging.destination.partition.id': '2',
      'messaging.consumer.group.name': 'g1',
      'messaging.batch.message_count': 3,
      'emotion_stream.batch.links_dropped': 0,
    });
  });

  it('caps the links and records how many were dropped', () => {
    const { exporter, tracer } = setup();
    const messages = Array.from({ length: 10 }, (_, i) => message(i));
    ChunkTrace.start(tracer, messages, { maxLinks: 4, messageSpans: false }).end();
    const [batchSpan] = exporter.getFinishedSpans();
    expect(batchSpan.links).toHaveLength(4);
    expect(batchSpan.attributes['emotion_stream.batch.links_dropped']).toBe(6);
  });

  it("continues each message's own trace into its output headers", () => {
    const { exporter, tracer } = setup();
    const messages = [message(0), message(1, false)];
    const batch = ChunkTrace.start(tracer, messages);
    const out0 = remoteSpanContext(batch.injectOutputHeaders(0, {}));
    const out1 = remoteSpanContext(batch.injectOutputHeaders(1, {}));
    batch.end();
    const spans = exporter.getFinishedSpans();
    const enrich = spans.filter((span) => span.name === 'enrich tweets');
    expect(enrich).toHaveLength(2);
    // Message 0 keeps its producer's trace id; its span's parent is the producer span.
    expect(out0?.traceId).toBe(hex(1, 32));
    expect(enrich[0].parentSpanContext?.spanId).toBe(hex(1, 16));
    expect(out0?.spanId).toBe(enrich[0].spanContext().spanId);
    expect(enrich[0].attributes['messaging.kafka.offset']).toBe(100);
    // Message 1 had no context: it joins the batch's trace.
    expect(out1?.traceId).toBe(batch.span.spanContext().traceId);
    expect(batch.deadLetterHeaders(0).traceparent).toBe(`00-${hex(1, 32)}-${out0?.spanId}-01`);
  });

  it('passes the producer context through when message spans are off', () => {
    const { tracer } = setup();
    const batch = ChunkTrace.start(tracer, [message(0)], { messageSpans: false });
    expect(batch.injectOutputHeaders(0, {}).traceparent).toBe(`00-${hex(1, 32)}-${hex(1, 16)}-01`);
    batch.end();
  });

  it('passes the input context through with a no-op tracer (SDK off)', () => {
    const batch = ChunkTrace.start(trace.getTracer('noop'), [message(3)]);
    expect(batch.injectOutputHeaders(0, {}).traceparent).toBe(`00-${hex(4, 32)}-${hex(4, 16)}-01`);
    batch.end();
  });

  it('runs stages as children of the batch span and records failures on them', async () => {
    const { exporter, tracer } = setup();
    const batch = ChunkTrace.start(tracer, [message(0)]);
    await expect(batch.stage('decode', async () => 7)).resolves.toBe(7);
    const failure = new EmotionStreamError('model exploded', {
      code: 'INFER_FAILED',
      stage: 'infer',
      retriable: true,
    });
    await expect(batch.stage('infer', async () => Promise.reject(failure))).rejects.toBe(failure);
    batch.recordStage('consume', Date.now() - 5, Date.now());
    batch.failMessage(0, failure);
    batch.end(failure);
    batch.end();
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.find((span) => span.name === name);
    const batchSpanId = batch.span.spanContext().spanId;
    for (const name of ['decode', 'infer', 'consume'])
      expect(byName(name)?.parentSpanContext?.spanId).toBe(batchSpanId);
    expect(byName('decode')?.status.code).toBe(SpanStatusCode.UNSET);
    expect(byName('infer')?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'model exploded' });
    expect(byName('infer')?.attributes).toMatchObject({
      'emotion_stream.error.code': 'INFER_FAILED',
      'emotion_stream.error.stage': 'infer',
    });
    expect(byName('enrich tweets')?.status.code).toBe(SpanStatusCode.ERROR);
    expect(byName('process tweets')?.status.code).toBe(SpanStatusCode.ERROR);
    expect(byName('process tweets')?.events.map((event) => event.name)).toContain('message failed');
    expect(spans.filter((span) => span.name === 'process tweets')).toHaveLength(1);
  });

  it('names a batch across topics and partitions without a destination', () => {
    const { exporter, tracer } = setup();
    ChunkTrace.start(tracer, [message(0), { ...message(1), topic: 'other', partition: 0 }], {
      messageSpans: false,
    }).end();
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('process');
    expect(span.attributes['messaging.destination.name']).toBeUndefined();
    expect(span.attributes['messaging.destination.partition.id']).toBeUndefined();
  });
});
