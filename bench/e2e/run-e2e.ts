import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pino from 'pino';
import { createCodec } from '../../src/codec';
import { loadWorkerConfig } from '../../src/config/worker-config';
import { startWorker } from '../../src/apps/worker';
import { measureBareInference } from './bare-inference';
import { meterCpu, type CpuSpent } from './cpu-meter';
import { OutputTracker, wallClockMs } from './output-tracker';
import { sampleRss, type RssTrend } from './rss-sampler';
import { percentiles, watchEventLoop, type LoopDelay, type Percentiles } from './stats';
import { connectLoadProducer, preload, producePaced } from './tweet-load';

export interface E2eSettings {
  /** Shown in tables. */
  label: string;
  /** Tweets preloaded for the throughput phase. */
  events: number;
  texts: readonly string[];
  modelDir: string;
  batchMaxSize: number;
  batchMaxWaitMs: number;
  /** PIPELINE_CHUNK_SIZE; undefined = the worker's default. */
  chunkSize?: number;
  /** PARTITION_CONCURRENCY; undefined = the worker's default. */
  partitionConcurrency?: number;
  /** Partitions of the input (and output) topic. */
  partitions: number;
  /** Length of the paced (latency) phase; 0 skips it. */
  pacedSeconds: number;
  /** Offered load of the paced phase as a fraction of the measured maximum (0.5). */
  loadFraction: number;
  /** Fixed offered load (tweets/s) instead of loadFraction x maximum. */
  rate?: number;
  /** How the bare model is driven ('none' skips it). */
  bare: 'batched' | 'per-message' | 'none';
  /** Env the worker settings are read from before the benchmark's own overrides (brokers, Redis...). */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface E2eResult {
  label: string;
  batchMaxSize: number;
  batchMaxWaitMs: number;
  chunkSize: number;
  partitionConcurrency: number;
  events: number;
  /** events / (last output - the moment start() resolved): draining a preloaded backlog once the worker is ready. */
  e2eTweetsPerS: number;
  /** events / (last output - the call to start the worker): includes model load and group join. */
  fromStartTweetsPerS: number;
  /** (events - first fetch) / (last output - first output): overstates when N is near chunk size x partitions. */
  firstToLastTweetsPerS: number;
  startupS: number;
  /** Mean of the bare runs before and after the worker. */
  bareTweetsPerS: number;
  bareRuns: number[];
  /** CPU per tweet (µs), load-independent: the throughput phase (whole worker process, harness included) vs the bare runs. */
  cpuPerTweetUs: { e2eProcess: number; e2eMainThread: number; bareProcess: number; bareMainThread: number };
  /** The throughput phase's CPU, and how long its main thread waited for a core. */
  throughputCpu: CpuSpent;
  ratio: number;
  throughputLoop: LoopDelay;
  paced?: {
    offeredPerS: number;
    sent: number;
    received: number;
    /** Output received by the harness - input record timestamp (stamped just before sending). */
    latencyMs: Percentiles;
    /** Output received - scheduled send time (includes any lag of the harness's own sender). */
    scheduledLatencyMs: Percentiles;
    /** Output record timestamp (the worker's producer) - input record timestamp. */
    workerLatencyMs: Percentiles;
    loop: LoopDelay;
    rss: RssTrend;
  };
  duplicates: number;
  unknownOutputs: number;
}

/** The clock of V8's CPU profiles (µs): the windows printed with it let profile-summary.ts cut one phase out. */
const monotonicMicros = (): string => String(process.hrtime.bigint() / 1000n);

function latencies(count: number, from: Float64Array, to: Float64Array): Float64Array {
  const values = new Float64Array(count);
  let n = 0;
  for (let seq = 0; seq < count; seq += 1) if (to[seq] !== 0) values[n++] = to[seq] - from[seq];
  return values.subarray(0, n);
}

/** Creates the topics; a broker that was just restarted may answer "not hosted" for a few seconds. */
async function createTopics(
  admin: Admin,
  names: string[],
  partitions: number,
  log: (line: string) => void,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      });
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      log(`creating the topics failed (${error instanceof Error ? error.message : String(error)}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, 2_000 * attempt));
    }
  }
}

/** One benchmark run: fresh topics, preload, in-process worker (as the CLI builds it), paced phase, bare model. */
export async function runE2e(settings: E2eSettings): Promise<E2eResult> {
  const { log } = settings;
  const tag = `bench-e2e-${randomUUID().slice(0, 8)}`;
  const topics = {
    input: `${tag}-in`,
    output: `${tag}-out`,
    group: `${tag}-worker`,
    reader: `${tag}-reader`,
    dlq: `${tag}-dlq`,
  };
  const config = loadWorkerConfig({
    ...settings.env,
    INPUT_TOPIC: topics.input,
    OUTPUT_TOPIC: topics.output,
    GROUP_ID: topics.group,
    DLQ_QUEUE: topics.dlq,
    MODEL_DIR: settings.modelDir,
    BATCH_MAX_SIZE: String(settings.batchMaxSize),
    BATCH_MAX_WAIT_MS: String(settings.batchMaxWaitMs),
    ...(settings.chunkSize === undefined ? {} : { PIPELINE_CHUNK_SIZE: String(settings.chunkSize) }),
    ...(settings.partitionConcurrency === undefined
      ? {}
      : { PARTITION_CONCURRENCY: String(settings.partitionConcurrency) }),
    // No ops server: parallel runs on one machine would fight over the port.
    HTTP_PORT: '0',
    LOG_LEVEL: settings.env.LOG_LEVEL ?? 'warn',
  });
  const kafka = new Kafka({
    clientId: tag,
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
    requestTimeout: 60_000,
  });
  const admin = kafka.admin();
  await admin.connect();
  const tracker = new OutputTracker(kafka, topics.output, topics.reader);
  const producer = await connectLoadProducer(kafka);
  const bareRuns: number[] = [];
  const bareCpu = { processMs: 0, mainThreadMs: 0, tweets: 0 };
  const bare = async () => {
    if (settings.bare === 'none') return;
    const count = settings.bare === 'per-message' ? Math.min(settings.events, 1_000) : settings.events;
    const perS = await measureBareInference({
      modelDir: config.modelDir,
      maxBatchSize: config.batchMaxSize,
      maxWaitMs: config.batchMaxWaitMs,
      mode: settings.bare,
      texts: settings.texts,
      count,
    });
    log(`[${settings.label}] bare inference: ${perS.tweetsPerS.toFixed(0)} tweets/s`);
    bareRuns.push(perS.tweetsPerS);
    bareCpu.processMs += perS.cpu.processMs;
    bareCpu.mainThreadMs += perS.cpu.mainThreadMs;
    bareCpu.tweets += perS.count;
  };
  try {
    await createTopics(admin, [topics.input, topics.output], settings.partitions, log);
    const codec = await createCodec({
      inputTopic: topics.input,
      outputTopic: topics.output,
      registerOnStart: false,
      schemaRegistryUrl: config.schemaRegistryUrl,
    });
    const load = { producer, encoder: codec.tweetEncoder, topic: topics.input, texts: settings.texts };
    await bare();

    const max = tracker.phase('max', settings.events);
    log(
      `[${settings.label}] preloading ${settings.events} tweets into ${topics.input} (${settings.partitions} partitions)`,
    );
    await preload(load, max, settings.events);
    await tracker.start();

    const logger = pino({ level: config.logLevel }, pino.destination(2));
    const startCalledAt = wallClockMs();
    const { worker } = await startWorker(config, { logger, env: settings.env });
    let stopped = false;
    try {
      // The throughput phase starts once start() resolved: model loaded, group joined, fetching.
      const readyAt = wallClockMs();
      const throughputFrom = monotonicMicros();
      const cpu = meterCpu();
      const loop = watchEventLoop();
      const startupS = (readyAt - startCalledAt) / 1000;
      log(
        `[${settings.label}] worker started in ${startupS.toFixed(1)} s (batch ${config.batchMaxSize}, wait ${config.batchMaxWaitMs} ms, chunk ${config.chunkSize}, partition concurrency ${config.partitionConcurrency})`,
      );
      const timeoutMs = 120_000 + settings.events * 20;
      await tracker.waitFor(max, settings.events, timeoutMs, (have) =>
        log(`[${settings.label}] ${have}/${settings.events} out`),
      );
      const throughputLoop = loop.read();
      const throughputCpu = cpu.read();
      log(`[${settings.label}] profile window throughput ${throughputFrom}-${monotonicMicros()}`);
      // Outputs arrive in bursts of a chunk per partition, so "first to last output" overstates the rate
      // when N is not much larger than chunk size x partitions; draining the backlog from ready does not.
      const e2eTweetsPerS = settings.events / ((max.lastAt - readyAt) / 1000);
      const firstToLastTweetsPerS =
        (settings.events - max.firstFetchCount) / ((max.lastAt - max.firstAt) / 1000);
      const fromStartTweetsPerS = settings.events / ((max.lastAt - startCalledAt) / 1000);
      log(
        `[${settings.label}] throughput ${e2eTweetsPerS.toFixed(0)} tweets/s (ready to last output; ${firstToLastTweetsPerS.toFixed(0)}/s first to last output, ${fromStartTweetsPerS.toFixed(0)}/s from start), event-loop max ${throughputLoop.maxMs.toFixed(0)} ms`,
      );

      let paced: E2eResult['paced'];
      let pacedDuplicates = 0;
      if (settings.pacedSeconds > 0) {
        const offeredPerS = settings.rate ?? Math.max(1, e2eTweetsPerS * settings.loadFraction);
        const record = tracker.phase('paced', Math.ceil(offeredPerS * settings.pacedSeconds) + 1);
        log(
          `[${settings.label}] paced phase: ${offeredPerS.toFixed(0)} tweets/s for ${settings.pacedSeconds} s`,
        );
        const pacedFrom = monotonicMicros();
        const pacedLoop = watchEventLoop();
        const rss = sampleRss();
        let lastLog = 0;
        const sent = await producePaced(
          load,
          record,
          offeredPerS,
          settings.pacedSeconds,
          (count, elapsedS) => {
            if (elapsedS - lastLog >= 10) {
              lastLog = elapsedS;
              log(
                `[${settings.label}] paced ${elapsedS.toFixed(0)} s: ${count} sent, ${record.received} out, rss ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MiB`,
              );
            }
          },
        );
        await tracker.waitFor(record, sent, 60_000 + sent * 20);
        const loopDelay = pacedLoop.read();
        log(`[${settings.label}] profile window paced ${pacedFrom}-${monotonicMicros()}`);
        pacedDuplicates = record.duplicates;
        paced = {
          offeredPerS,
          sent,
          received: record.received,
          latencyMs: percentiles(latencies(sent, record.sentAt, record.receivedAt)),
          scheduledLatencyMs: percentiles(latencies(sent, record.dueAt, record.receivedAt)),
          workerLatencyMs: percentiles(latencies(sent, record.sentAt, record.outputStamp)),
          loop: loopDelay,
          rss: rss.stop(),
        };
        const l = paced.latencyMs;
        log(
          `[${settings.label}] latency p50 ${l.p50.toFixed(0)} p95 ${l.p95.toFixed(0)} p99 ${l.p99.toFixed(0)} ms, event-loop max ${loopDelay.maxMs.toFixed(0)} ms`,
        );
      }
      stopped = true;
      if (!(await worker.stop())) log(`[${settings.label}] warning: the worker did not stop cleanly`);
      await bare();
      const bareTweetsPerS =
        bareRuns.length === 0 ? Number.NaN : bareRuns.reduce((a, b) => a + b, 0) / bareRuns.length;
      return {
        label: settings.label,
        batchMaxSize: config.batchMaxSize,
        batchMaxWaitMs: config.batchMaxWaitMs,
        chunkSize: config.chunkSize,
        partitionConcurrency: config.partitionConcurrency,
        events: settings.events,
        e2eTweetsPerS,
        fromStartTweetsPerS,
        firstToLastTweetsPerS,
        startupS,
        bareTweetsPerS,
        bareRuns,
        cpuPerTweetUs: {
          e2eProcess: (throughputCpu.processMs * 1000) / settings.events,
          e2eMainThread: (throughputCpu.mainThreadMs * 1000) / settings.events,
          bareProcess: (bareCpu.processMs * 1000) / bareCpu.tweets,
          bareMainThread: (bareCpu.mainThreadMs * 1000) / bareCpu.tweets,
        },
        throughputCpu,
        ratio: e2eTweetsPerS / bareTweetsPerS,
        throughputLoop,
        paced,
        duplicates: max.duplicates + pacedDuplicates,
        unknownOutputs: tracker.unknown,
      };
    } finally {
      if (!stopped) await worker.stop();
    }
  } finally {
    await tracker.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    // The shared broker should not keep every benchmark's topics.
    await admin.deleteTopics({ topics: [topics.input, topics.output] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
