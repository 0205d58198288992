import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import pino from 'pino';
import { createCodec } from '../../../src/codec';
import { loadWorkerConfig } from '../../../src/config/worker-config';
import type { Tweet } from '../../../src/core';
import { startWorker } from '../../../src/apps/worker';
import { consumerLagSource } from '../../../src/ops';
import { kafkaBrokers, redisUrl, uniqueName } from '../../support/services';
import { OtlpReceiver, attribute } from './otlp-receiver';
import { freePort } from '../../support/private-redis';

// Issue 7 items 5 (tracing, metrics): the real worker, real Kafka and Redis, the tiny test model, a
// real OTLP/HTTP receiver. Every input record carries its own traceparent.

const EVENTS = 40;
const PARTITIONS = 2;
const TINY_MODEL_DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'tiny-distilbert');

jest.setTimeout(120_000);

interface Input {
  tweet: Tweet;
  traceId: string;
  spanId: string;
}

function inputs(prefix: string): Input[] {
  return Array.from({ length: EVENTS }, (_, n) => ({
    tweet: {
      id: `${prefix}-${n}`,
      text: `tweet ${n}: feeling ${n % 2 ? 'great' : 'awful'} today`,
      createdAt: Date.now() - 1_000,
      lang: 'en',
      userId: null,
      userName: null,
      source: 'observability-test',
      hashtags: [],
      attributes: {},
    },
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
  }));
}

/** Sums a counter's samples in a Prometheus text scrape (all label sets). */
function sample(scrape: string, name: string): number {
  let total = 0;
  for (const line of scrape.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// Whatever fails, the receiver and the environment are restored (an open server would keep jest alive).
const receiver = new OtlpReceiver();
const otelVariables = [
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_BSP_SCHEDULE_DELAY',
];
afterAll(async () => {
  for (const name of otelVariables) delete process.env[name];
  await receiver.stop();
});

test('spans reach an OTLP receiver in each input trace, output headers continue it, and /metrics counts consumed = produced = N', async () => {
  await receiver.start();
  const otelEnv = {
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  Object.assign(process.env, otelEnv);

  const kafka = new Kafka({
    clientId: uniqueName('obs-test'),
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const topics = {
    input: uniqueName('obs-in'),
    output: uniqueName('obs-out'),
    group: uniqueName('obs-group'),
  };
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: topics.input, numPartitions: PARTITIONS, replicationFactor: 1 }],
    });
  } finally {
    await admin.disconnect();
  }

  const codec = await createCodec({
    inputTopic: topics.input,
    outputTopic: topics.output,
    registerOnStart: false,
  });
  const sent = inputs(topics.input);
  const producer = kafka.producer();
  const messages = await Promise.all(
    sent.map(async ({ tweet, traceId, spanId }) => ({
      key: tweet.id,
      value: await codec.tweetEncoder.encode(tweet),
      headers: { traceparent: `00-${traceId}-${spanId}-01`, 'x-lineage': 'kept' },
    })),
  );
  await producer.connect();
  await producer.send({ topic: topics.input, acks: -1, messages }).finally(() => producer.disconnect());

  // Before any member committed, everything retained counts as lag (high - low watermark).
  const lagAdmin = kafka.admin();
  await lagAdmin.connect();
  const before = await consumerLagSource(lagAdmin, topics.group, topics.input)().finally(() =>
    lagAdmin.disconnect(),
  );
  expect(before.reduce((sum, entry) => sum + entry.lag, 0)).toBe(EVENTS);
  expect(before).toHaveLength(PARTITIONS);

  const config = loadWorkerConfig({
    KAFKA_BROKERS: kafkaBrokers().join(','),
    REDIS_URL: redisUrl(),
    INPUT_TOPIC: topics.input,
    OUTPUT_TOPIC: topics.output,
    GROUP_ID: topics.group,
    DLQ_QUEUE: uniqueName('obs-dlq'),
    MODEL_DIR: TINY_MODEL_DIR,
    HTTP_PORT: String(await freePort()),
    SHUTDOWN_TIMEOUT_MS: '20000',
  });
  const { worker, opsUrl } = await startWorker(config, {
    logger: pino({ level: 'warn' }, pino.destination(2)),
    env: { ...otelEnv },
  });
  const outputs: Array<{ key: string; headers: IHeaders }> = [];
  const reader = kafka.consumer({ groupId: uniqueName('obs-reader'), maxWaitTimeInMs: 200 });
  let stopped = false;
  try {
    expect(opsUrl).toBeDefined();
    await reader.connect();
    await reader.subscribe({ topic: topics.output, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        outputs.push({ key: String(message.key), headers: message.headers ?? {} });
      },
    });
    await waitFor(`${EVENTS} output records (have ${outputs.length})`, async () =>
      outputs.length >= EVENTS ? true : undefined,
    );

    // Metrics: the counters are bumped once a chunk is acknowledged, which can trail the reader a little.
    const scrape = await waitFor('produced = N on /metrics', async () => {
      const text = await (await fetch(`${opsUrl}/metrics`)).text();
      return sample(text, 'emotion_stream_messages_produced_total') >= EVENTS ? text : undefined;
    });
    expect(sample(scrape, 'emotion_stream_messages_consumed_total')).toBe(EVENTS);
    expect(sample(scrape, 'emotion_stream_messages_produced_total')).toBe(EVENTS);
    expect(sample(scrape, 'emotion_stream_messages_dead_lettered_total')).toBe(0);
    // The language gate (on by default) decided each tweet by its producer lang: all English, all classified.
    expect(scrape).toContain(
      `emotion_stream_language_decisions_total{outcome="classify",language="en",source="producer"} ${EVENTS}`,
    );
    expect(sample(scrape, 'emotion_stream_end_to_end_latency_seconds_count')).toBe(EVENTS);
    expect(sample(scrape, 'emotion_stream_batch_size_sum')).toBe(EVENTS);
    expect(sample(scrape, 'emotion_stream_inference_duration_seconds_count')).toBeGreaterThan(0);
    expect(scrape).toMatch(/emotion_stream_model_info\{model="[^"]+",version="[^"]*",labels="[^"]+"\} 1/);
    expect(scrape).toContain('emotion_stream_ready 1');
    expect(scrape).toContain('nodejs_eventloop_lag_p99_seconds');
    // Lag comes from the broker at scrape time: one sample per input partition.
    expect(
      scrape.match(
        new RegExp(`emotion_stream_consumer_lag\\{topic="${topics.input}",partition="\\d+"\\}`, 'g'),
      ),
    ).toHaveLength(PARTITIONS);
    // Once every offset is committed the broker-side lag drops to zero.
    await waitFor('consumer lag 0 on /metrics', async () => {
      const text = await (await fetch(`${opsUrl}/metrics`)).text();
      return sample(text, 'emotion_stream_consumer_lag') === 0 ? true : undefined;
    });
    const ready = await fetch(`${opsUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { consumer: { ok: true }, model: { ok: true }, redis: { ok: true } },
    });
  } finally {
    await reader.disconnect();
    stopped = await worker.stop();
    for (const name of otelVariables) delete process.env[name];
  }
  expect(stopped).toBe(true);

  // Tracing: each output record's traceparent is in its input's trace and names the worker's span.
  const byId = new Map(sent.map((input) => [input.tweet.id, input]));
  const enrichSpans = new Map(
    receiver.spans
      .filter((span) => span.name === `enrich ${topics.input}`)
      .map((span) => [span.spanId, span]),
  );
  expect(enrichSpans.size).toBe(EVENTS);
  for (const output of outputs) {
    const input = byId.get(output.key);
    expect(input).toBeDefined();
    expect(String(output.headers['x-lineage'])).toBe('kept');
    const [, traceId, spanId] = String(output.headers.traceparent).split('-');
    expect(traceId).toBe(input?.traceId);
    const span = enrichSpans.get(spanId);
    expect(span).toMatchObject({ traceId: input?.traceId, parentSpanId: input?.spanId });
  }
  // One span per chunk, linked to its messages' producer spans, with the stages as children.
  const batchSpans = receiver.spans.filter((span) => span.name === `process ${topics.input}`);
  expect(batchSpans.length).toBeGreaterThan(0);
  const linked = batchSpans.flatMap((span) => span.links ?? []).map((link) => link.traceId);
  expect(new Set(linked)).toEqual(new Set(sent.map((input) => input.traceId)));
  expect(
    batchSpans.reduce((sum, span) => sum + Number(attribute(span, 'messaging.batch.message_count')), 0),
  ).toBe(EVENTS);
  expect(attribute(batchSpans[0], 'messaging.consumer.group.name')).toBe(topics.group);
  const batchIds = new Set(batchSpans.map((span) => span.spanId));
  for (const stage of ['consume', 'decode', 'infer', 'encode', 'produce']) {
    const stageSpans = receiver.spans.filter((span) => span.name === stage);
    expect(stageSpans).toHaveLength(batchSpans.length);
    for (const span of stageSpans) expect(batchIds.has(span.parentSpanId ?? '')).toBe(true);
  }
});
