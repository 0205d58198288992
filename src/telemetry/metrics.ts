import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ModelInfo } from '../core';

/** Options of {@link Metrics}. */
export interface MetricsOptions {
  /** Registry the metrics live in. @defaultValue a new Registry (never prom-client's global one) */
  registry?: Registry;
  /**
   * Also collect prom-client's default process and Node.js metrics (CPU, memory, handles, GC,
   * event-loop delay as `nodejs_eventloop_lag_*`).
   * @defaultValue true
   */
  defaultMetrics?: boolean;
  /** Resolution of the event-loop delay monitor behind `nodejs_eventloop_lag_*`. @defaultValue 10 */
  eventLoopMonitoringPrecisionMs?: number;
}

/** One partition's consumer lag: records between the group's committed offset and the high watermark. */
export interface LagSample {
  topic: string;
  partition: number;
  lag: number;
}

/** Produces values at scrape time; a rejection keeps the last values (and counts a collection error). */
export type Source<T> = () => Promise<T> | T;

export const METRIC_PREFIX = 'emotion_stream_';

/** The gauges the ops server's /readyz and /metrics keep current; every served metric set has them. */
export function readinessGauges(registers: Registry[]): {
  ready: Gauge<never>;
  readinessCheck: Gauge<'check'>;
} {
  return {
    ready: new Gauge({
      name: `${METRIC_PREFIX}ready`,
      help: '1 when every readiness check passed at the last probe or scrape, else 0.',
      registers,
    }),
    readinessCheck: new Gauge({
      name: `${METRIC_PREFIX}readiness_check`,
      help: '1 when the named readiness check passed at the last probe or scrape, else 0.',
      labelNames: ['check'],
      registers,
    }),
  };
}

// Buckets are in seconds (Prometheus base unit). Inference spans one batch on a CPU: 5 ms to 30 s.
const INFERENCE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// Event time -> produced includes the producer's own delay and replays of old data: up to an hour.
const END_TO_END_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/**
 * Languages that get their own `language` label (the most common on Twitter/X); every other one is `other`,
 * and a tweet without a language is `none`, so the series stay bounded whatever the producers send.
 */
export const LANGUAGE_LABELS = [
  'en',
  'es',
  'pt',
  'ja',
  'ar',
  'fr',
  'de',
  'id',
  'tr',
  'ko',
  'zh',
  'ru',
  'hi',
  'it',
  'th',
  'nl',
  'pl',
  'fa',
  'tl',
  'ur',
] as const;
const LANGUAGE_LABEL_SET: ReadonlySet<string> = new Set(LANGUAGE_LABELS);

/** The metric label of a language: itself when in LANGUAGE_LABELS, `other` otherwise, `none` without one. */
export function languageLabel(language: string | undefined | null): string {
  if (language === undefined || language === null || language === '') return 'none';
  return LANGUAGE_LABEL_SET.has(language) ? language : 'other';
}

/**
 * Every Prometheus metric the worker exports, in one dedicated registry. Stages receive this
 * object (or the single metric they update) instead of touching a global registry. The README's
 * Observability section lists them all.
 */
export class Metrics {
  readonly registry: Registry;
  readonly messagesConsumed: Counter<'topic' | 'partition'>;
  readonly messagesProduced: Counter<'topic'>;
  readonly messagesDeadLettered: Counter<'stage' | 'reason'>;
  readonly messagesRetried: Counter<'stage' | 'reason'>;
  readonly batchSize: Histogram<never>;
  readonly inferenceLatency: Histogram<never>;
  readonly endToEndLatency: Histogram<never>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly batcherQueueDepth: Gauge<never>;
  readonly modelInfo: Gauge<'model' | 'version' | 'labels'>;
  readonly ready: Gauge<never>;
  readonly readinessCheck: Gauge<'check'>;
  readonly collectionErrors: Counter<'metric'>;
  readonly retryQueueJobs: Gauge<'state'>;
  readonly dlqMirrorFailures: Counter<'reason'>;
  readonly languageDecisions: Counter<'outcome' | 'language' | 'source'>;
  private lagSource?: Source<LagSample[]>;
  private queueDepthSource?: Source<number>;
  private retryQueueSource?: Source<Record<string, number>>;

  constructor(options: MetricsOptions = {}) {
    const registry = options.registry ?? new Registry();
    this.registry = registry;
    const registers = [registry];
    // prom-client calls collect() on every scrape; `self` keeps the closures off `this` rebinding.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;

    this.messagesConsumed = new Counter({
      name: `${METRIC_PREFIX}messages_consumed_total`,
      help: 'Input records the pipeline finished with: produced, handed to the retry queue, or dead-lettered.',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.messagesProduced = new Counter({
      name: `${METRIC_PREFIX}messages_produced_total`,
      help: 'Enriched records acknowledged by the output topic (pipeline and retry queue).',
      labelNames: ['topic'],
      registers,
    });
    this.messagesDeadLettered = new Counter({
      name: `${METRIC_PREFIX}messages_dead_lettered_total`,
      help: 'Entries made durable in the dead-letter store, by failing stage and error code.',
      labelNames: ['stage', 'reason'],
      registers,
    });
    this.messagesRetried = new Counter({
      name: `${METRIC_PREFIX}messages_retried_total`,
      help: 'Transient failures given another attempt (in process or via the retry queue), by stage and error code.',
      labelNames: ['stage', 'reason'],
      registers,
    });
    this.batchSize = new Histogram({
      name: `${METRIC_PREFIX}batch_size`,
      help: 'Records per micro-batch handed to the classifier.',
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    });
    this.inferenceLatency = new Histogram({
      name: `${METRIC_PREFIX}inference_duration_seconds`,
      help: 'Wall time of one classifier call (one micro-batch: tokenize + ONNX run + softmax).',
      buckets: INFERENCE_BUCKETS,
      registers,
    });
    this.endToEndLatency = new Histogram({
      name: `${METRIC_PREFIX}end_to_end_latency_seconds`,
      help: "From the tweet's event time (createdAt) to its enriched record being acknowledged by Kafka.",
      buckets: END_TO_END_BUCKETS,
      registers,
    });
    this.consumerLag = new Gauge({
      name: `${METRIC_PREFIX}consumer_lag`,
      help: "Records between the consumer group's committed offset and the partition's high watermark.",
      labelNames: ['topic', 'partition'],
      registers,
      async collect() {
        if (!self.lagSource) return;
        const samples = await self.collectSafely('consumer_lag', self.lagSource);
        if (!samples) return;
        this.reset();
        for (const sample of samples)
          this.set({ topic: sample.topic, partition: String(sample.partition) }, sample.lag);
      },
    });
    this.batcherQueueDepth = new Gauge({
      name: `${METRIC_PREFIX}batcher_queue_depth`,
      help: 'Records waiting in the micro-batcher for a classifier slot.',
      registers,
      async collect() {
        if (!self.queueDepthSource) return;
        const depth = await self.collectSafely('batcher_queue_depth', self.queueDepthSource);
        if (depth !== undefined) this.set(depth);
      },
    });
    this.retryQueueJobs = new Gauge({
      name: `${METRIC_PREFIX}retry_queue_jobs`,
      help: 'Jobs in the BullMQ retry queue by state (waiting, delayed, active; failed = could not even be dead-lettered), read at scrape time.',
      labelNames: ['state'],
      registers,
      async collect() {
        if (!self.retryQueueSource) return;
        const counts = await self.collectSafely('retry_queue_jobs', self.retryQueueSource);
        if (!counts) return;
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      },
    });
    this.dlqMirrorFailures = new Counter({
      name: `${METRIC_PREFIX}dlq_mirror_failures_total`,
      help: 'Dead letters the DLQ_TOPIC mirror gave up on, by error code (each entry is still in Redis).',
      labelNames: ['reason'],
      registers,
    });
    this.languageDecisions = new Counter({
      name: `${METRIC_PREFIX}language_decisions_total`,
      help: `Language gate decisions of acknowledged records, by outcome (classify, unsupported, undetermined), language (${LANGUAGE_LABELS.join(', ')}, other or none) and source (producer, detected, none).`,
      labelNames: ['outcome', 'language', 'source'],
      registers,
    });
    this.modelInfo = new Gauge({
      name: `${METRIC_PREFIX}model_info`,
      help: 'Always 1; the labels name the loaded model, its version and its label set.',
      labelNames: ['model', 'version', 'labels'],
      registers,
    });
    ({ ready: this.ready, readinessCheck: this.readinessCheck } = readinessGauges(registers));
    this.collectionErrors = new Counter({
      name: `${METRIC_PREFIX}metric_collection_errors_total`,
      help: 'Scrape-time collections that failed (the metric kept its previous value).',
      labelNames: ['metric'],
      registers,
    });
    if (options.defaultMetrics ?? true) {
      collectDefaultMetrics({
        register: registry,
        eventLoopMonitoringPrecision: options.eventLoopMonitoringPrecisionMs ?? 10,
      });
    }
  }

  /** Sets `emotion_stream_model_info` to the loaded model (replacing any previous one). */
  setModel(model: ModelInfo): void {
    this.modelInfo.reset();
    this.modelInfo.set({ model: model.name, version: model.version, labels: model.labels.join(',') }, 1);
  }

  /** Computes consumer lag at scrape time (so it keeps growing when the consumer is stuck). */
  observeLag(source: Source<LagSample[]>): void {
    this.lagSource = source;
  }

  /** Reads the batcher's queue depth at scrape time. */
  observeQueueDepth(source: Source<number>): void {
    this.queueDepthSource = source;
  }

  /** Reads the retry queue's job counts by state at scrape time. */
  observeRetryQueue(source: Source<Record<string, number>>): void {
    this.retryQueueSource = source;
  }

  /** Counts one produced record and its end-to-end latency from `eventTimeMs` to `nowMs`. */
  recordProduced(topic: string, eventTimeMs: number, nowMs: number = Date.now()): void {
    this.messagesProduced.inc({ topic });
    // A clock-skewed producer can stamp the future; clamp so the histogram stays meaningful.
    if (Number.isFinite(eventTimeMs)) this.endToEndLatency.observe(Math.max(0, nowMs - eventTimeMs) / 1000);
  }

  /** Counts a dead letter; `reason` is the error's stable code (low cardinality by construction). */
  recordDeadLetter(stage: string, reason: string): void {
    this.messagesDeadLettered.inc({ stage, reason });
  }

  /** Counts one language gate decision; the language label is bounded (languageLabel). */
  recordLanguageDecision(outcome: string, language: string | undefined, source: string): void {
    this.languageDecisions.inc({ outcome, language: languageLabel(language), source });
  }

  /** Counts one retry attempt. */
  recordRetry(stage: string, reason: string): void {
    this.messagesRetried.inc({ stage, reason });
  }

  /** The Prometheus text exposition of every metric, with its content type. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private async collectSafely<T>(metric: string, source: Source<T>): Promise<T | undefined> {
    try {
      return await source();
    } catch {
      this.collectionErrors.inc({ metric });
      return undefined;
    }
  }
}
