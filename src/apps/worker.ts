import type { Logger } from 'pino';
import type { WorkerConfig } from '../config/worker-config';
import { createCodec } from '../codec';
import { openDeadLetterStore } from '../dlq';
import { consumerLagSource, probeRedis, redisReadinessCheck, startOpsServer } from '../ops';
import { createClassifier } from '../pipeline/batched-classifier';
import { createKafkaClient } from '../kafka/kafka-client';
import { probeKafka } from '../kafka/kafka-probe';
import { resolveModelLanguages } from '../language';
import { createLanguageGate } from '../pipeline/language-gate';
import { countDeadLetters, metricsObserver } from '../pipeline/metrics-observer';
import { CLEANUP_DEADLINE_MS, closeInOrder, settleWithin, TIMED_OUT, type Cleanup } from '../core';
import { copyInputHeaders } from '../pipeline/process-chunk';
import { openRetryPath } from '../pipeline/retry-path';
import { createStreamWorker, type StreamWorker } from '../pipeline/stream-worker';
import { createLogger, Metrics, startTracing } from '../telemetry';

// Wiring only: settings -> stages -> worker. Nothing imports this file but the CLI and tests.

/** Tries of a transient failure on the hot path before the record moves to the retry queue. */
const IN_PROCESS_ATTEMPTS = 2;
/** Longest the check that Redis answers may take at start. */
const REDIS_PROBE_TIMEOUT_MS = 3_000;

export interface RunningWorker {
  worker: StreamWorker;
  /** `http://host:port` of /metrics, /healthz and /readyz; undefined when HTTP_PORT=0. */
  opsUrl?: string;
  logger: Logger;
}

export interface StartWorkerOptions {
  /** Where the OTEL_* variables are read (tracing is configured by the OpenTelemetry standard variables). @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /** @defaultValue a pino logger at config.logLevel */
  logger?: Logger;
}

/**
 * Builds every stage from the settings and starts consuming. If any step fails, what was already
 * opened is closed again (in reverse order) before the error is rethrown.
 */
export async function startWorker(
  config: WorkerConfig,
  options: StartWorkerOptions = {},
): Promise<RunningWorker> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const opened: Cleanup[] = [];
  let worker: StreamWorker | undefined;
  let modelLoaded = false;
  try {
    // Configured by the standard OTEL_* variables; a no-op tracer when no endpoint is set.
    const tracing = startTracing({ env: options.env ?? process.env });
    logger.info({ enabled: tracing.enabled, reason: tracing.reason }, 'tracing');
    // Closed last (cleanups run in order): the spans of the final chunks are flushed after them.
    opened.unshift({ name: 'tracing', close: () => tracing.shutdown() });
    const metrics = new Metrics();
    // Bound first: a taken port fails the start in milliseconds, not after Kafka, Redis and the model.
    let opsUrl: string | undefined;
    if (config.httpPort > 0) {
      const redisCheck = redisReadinessCheck(config.deadLetter.redisUrl);
      opened.unshift({ name: 'readiness Redis connection', close: () => redisCheck.close() });
      const ops = await startOpsServer({
        port: config.httpPort,
        host: config.httpHost,
        metrics,
        logger,
        readinessChecks: {
          consumer: () => worker?.isReady() ?? false,
          // Loaded before the consumer starts; closing it on shutdown makes this fail.
          model: () => modelLoaded,
          redis: redisCheck.check,
        },
      });
      opsUrl = ops.url;
      opened.unshift({ name: 'ops server', close: () => ops.close() });
    }
    await probeKafka(config.kafka, logger);
    const kafka = createKafkaClient(config.kafka, logger);
    const codec = await createCodec({
      schemaRegistryUrl: config.schemaRegistryUrl,
      schemaRegistryAuth: config.schemaRegistryAuth,
      inputTopic: config.inputTopic,
      outputTopic: config.outputTopic,
      unclassifiedTopic: config.unclassifiedTopic,
      inputWriterSchemaPath: config.inputWriterSchemaPath,
      maxTextBytes: config.maxTextBytes,
    });
    const dlqSettings = config.deadLetter;
    await probeRedis(config.deadLetter.redisUrl, REDIS_PROBE_TIMEOUT_MS);
    const deadLetters = await openDeadLetterStore(
      dlqSettings,
      (error) => logger.warn({ err: error }, 'dead-letter store: Redis error'),
      kafka,
      (entry, error) => {
        logger.error(
          { err: error, id: entry.id, code: entry.code },
          'dead-letter mirror gave up on an entry; it is still in Redis (emotion-stream dlq show <id>)',
        );
        metrics.dlqMirrorFailures.inc({ reason: error.code });
      },
    );
    opened.unshift({ name: 'dead-letter store', close: () => deadLetters.close() });
    const classifier = await createClassifier({
      modelDir: config.modelDir,
      maxBatchSize: config.batchMaxSize,
      maxWaitMs: config.batchMaxWaitMs,
    });
    opened.unshift({
      name: 'classifier',
      close: () => {
        modelLoaded = false;
        return classifier.close();
      },
    });

    modelLoaded = true;
    metrics.setModel(classifier.model);
    classifier.onBatch((stats) => metrics.batchSize.observe(stats.size));
    classifier.onInference((seconds) => metrics.inferenceLatency.observe(seconds));
    metrics.observeQueueDepth(() => classifier.queueDepth());
    const observer = metricsObserver(metrics);
    // LANGUAGE_GATE=false: no gate, every tweet is classified (the behaviour before issue 19).
    const language = config.language.gate
      ? createLanguageGate({
          settings: config.language,
          supported: resolveModelLanguages(classifier.model, config.language.modelLanguages, (message) =>
            logger.warn(message),
          ),
          topic: config.unclassifiedTopic,
          encoder: codec.unclassifiedEncoder,
        })
      : undefined;
    logger.info(
      language
        ? { gate: true, modelLanguages: language.modelLanguages, unclassifiedTopic: language.topic }
        : { gate: false },
      'language gate',
    );

    // Transient failures: a couple of quick tries in-process, then the BullMQ retry queue (with
    // backoff, off the hot path), then the dead-letter store. RETRY_MAX_ATTEMPTS counts them all.
    // One limit for the worker's and the retry path's producers; the worker lowers it at start to fit the topic.
    const outputLimit = { maxRequestBytes: config.outputMaxRequestBytes };
    const retryPolicy = {
      maxAttempts: dlqSettings.maxAttempts,
      baseDelayMs: dlqSettings.retryBaseDelayMs,
      maxDelayMs: dlqSettings.retryMaxDelayMs,
    };
    const retryPath = await openRetryPath({
      kafka,
      redisUrl: config.deadLetter.redisUrl,
      queueName: `${config.deadLetter.queueName}-retry`,
      redisTimeoutMs: dlqSettings.redisTimeoutMs,
      policy: retryPolicy,
      deadLetters: countDeadLetters(deadLetters.store, metrics),
      observer,
      tracer: tracing.enabled ? tracing.tracer : undefined,
      stages: {
        decoder: codec.decoder,
        classifier,
        encoder: codec.encoder,
        outputTopic: config.outputTopic,
        language,
        outputHeaders: copyInputHeaders,
        retry: retryPolicy,
        now: Date.now,
        recordLimits: config.recordLimits,
        outputLimit,
      },
      logger,
    });
    opened.unshift({ name: 'retry queue', close: () => retryPath.close() });
    metrics.observeRetryQueue(() => retryPath.counts());

    if (config.httpPort > 0) {
      const admin = kafka.admin();
      // Registered before connecting: a connect that fails half-way still leaves sockets to close.
      opened.unshift({ name: 'admin', close: () => admin.disconnect() });
      await admin.connect();
      metrics.observeLag(consumerLagSource(admin, config.groupId, config.inputTopic));
    }
    worker = createStreamWorker({
      kafka,
      config,
      decoder: codec.decoder,
      encoder: codec.encoder,
      classifier,
      language,
      deadLetter: retryPath.sink,
      logger,
      backpressure: {
        isSaturated: () => classifier.isFull(),
        whenDrained: () => classifier.waitForCapacity(),
      },
      observer,
      // Off: no spans at all; output records still carry the input's trace headers (copied).
      tracer: tracing.enabled ? tracing.tracer : undefined,
      retry: { ...retryPolicy, maxAttempts: Math.min(IN_PROCESS_ATTEMPTS, retryPolicy.maxAttempts) },
      outputLimit,
      // Stopped after the consumer and producers: the chunk in flight still needs the model and the DLQ.
      cleanups: opened,
    });
    await worker.start();
    await retryPath.start();
    return { worker, opsUrl, logger };
  } catch (error) {
    // Nothing is in flight yet: close what was opened (the worker's stop() also runs `opened`, after
    // its own consumer and producers), but never let a hanging client keep a failed start alive.
    const cleanup = worker ? worker.stop() : closeInOrder(opened, logger);
    if ((await settleWithin(cleanup, CLEANUP_DEADLINE_MS)) === TIMED_OUT)
      logger.warn({ deadlineMs: CLEANUP_DEADLINE_MS }, 'cleanup after a failed start timed out');
    throw error;
  }
}

/** How a worker run ended. */
export interface WorkerRunOutcome {
  /** 0 after a clean shutdown; 1 when a step failed, the deadline passed or the consumer crashed. */
  code: number;
  /** Why the worker stopped by itself (the consumer crashed for good); undefined after a signal. */
  fatal?: Error;
}

/**
 * Runs the worker until SIGTERM or SIGINT, then shuts down in order within SHUTDOWN_TIMEOUT_MS.
 * Resolves with the process exit code and, when the consumer crashed for good, its error.
 */
export async function runWorkerUntilSignal(
  config: WorkerConfig,
  options: StartWorkerOptions = {},
): Promise<WorkerRunOutcome> {
  const { worker, logger, opsUrl } = await startWorker(config, options);
  if (opsUrl) logger.info({ url: opsUrl }, 'serving /metrics, /healthz and /readyz');
  return new Promise<WorkerRunOutcome>((resolve) => {
    let fatal: Error | undefined;
    const stop = (reason: string) => {
      logger.info({ reason }, 'shutting down');
      void worker.stop().then((clean) => resolve({ code: clean && !fatal ? 0 : 1, fatal }));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    worker.onFatal((error) => {
      fatal = error;
      stop('consumer crashed');
    });
  });
}
