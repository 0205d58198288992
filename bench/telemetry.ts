// Cost of observability per message: chunk spans (tracing on with a real SDK pipeline vs off) and a
// /metrics render. Run: npm run bench:telemetry   (prints figures; recorded in BENCHMARKS.md)
import { randomBytes } from 'node:crypto';
import { trace, type Tracer } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ChunkTrace, Metrics, type TracedMessage } from '../src/telemetry';

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 2_000);
const CHUNK_SIZE = Number(process.env.BENCH_CHUNK_SIZE ?? 64);

// Counts spans and drops them: measures everything up to the wire (span creation, links, batching).
class CountingExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], done: (result: { code: ExportResultCode }) => void): void {
    this.spans += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

function messages(): TracedMessage[] {
  return Array.from({ length: CHUNK_SIZE }, (_, i) => ({
    topic: 'tweets',
    partition: i % 4,
    offset: String(i),
    headers: {
      traceparent: Buffer.from(`00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`),
    },
  }));
}

async function run(label: string, tracer: Tracer, messageSpans: boolean): Promise<number> {
  const chunk = messages();
  const started = process.hrtime.bigint();
  for (let n = 0; n < CHUNKS; n += 1) {
    const batch = ChunkTrace.start(tracer, chunk, { consumerGroup: 'bench', messageSpans });
    batch.recordStage('consume', Date.now() - 1, Date.now());
    for (const stage of ['decode', 'infer', 'encode', 'produce'] as const)
      await batch.stage(stage, async () => undefined);
    for (let i = 0; i < chunk.length; i += 1) batch.injectOutputHeaders(i, {});
    batch.end();
  }
  const perMessageUs = Number(process.hrtime.bigint() - started) / 1e3 / (CHUNKS * CHUNK_SIZE);
  console.log(`${label.padEnd(44)} ${perMessageUs.toFixed(2)} µs/message`);
  return perMessageUs;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${CHUNKS} chunks x ${CHUNK_SIZE} messages`);
  await run('tracing off (no-op tracer)', trace.getTracer('off'), true);
  for (const messageSpans of [false, true]) {
    const exporter = new CountingExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 65_536, maxExportBatchSize: 512 })],
    });
    await run(
      `tracing on, ${messageSpans ? 'with' : 'without'} per-message spans`,
      provider.getTracer('bench'),
      messageSpans,
    );
    await provider.shutdown();
  }

  const metrics = new Metrics();
  for (let p = 0; p < 12; p += 1)
    metrics.messagesConsumed.inc({ topic: 'tweets', partition: String(p) }, 1000);
  metrics.observeLag(() => Array.from({ length: 12 }, (_, p) => ({ topic: 'tweets', partition: p, lag: p })));
  const renders = 500;
  const started = process.hrtime.bigint();
  let bytes = 0;
  for (let n = 0; n < renders; n += 1) bytes = (await metrics.expose()).body.length;
  console.log(
    `${'/metrics render (12 partitions, default metrics)'.padEnd(44)} ${(Number(process.hrtime.bigint() - started) / 1e6 / renders).toFixed(2)} ms/scrape, ${bytes} bytes`,
  );
}

void main();
