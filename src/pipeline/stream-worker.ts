import type { Tracer } from '@opentelemetry/api';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config/worker-config';
import type { Classifier, DeadLetterSink, TweetDecoder, TweetEmotionEncoder } from '../core';
import { createOutputProducer } from '../egress/output-producer';
import { ensureOutputTopic } from '../egress/output-topic';
import { fitToTopic, type OutputSizeLimit } from '../core/record-size';
import { createTransactionalOutput } from '../egress/transactional-output';
import { createTweetConsumer } from '../ingest/tweet-consumer';
import type { Backpressure } from './backpressure';
import type { OutputMode } from './chunk-output';
import { closeInOrder, type Cleanup } from '../core';
import type { LanguageGate } from './language-gate';
import { createPartitionProcessor } from './partition-processor';
import type { PipelineObserver } from './pipeline-observer';
import { copyInputHeaders, type OutputHeaders } from './process-chunk';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../core';
import { createStopController } from './stop-signal';

export type StreamWorkerConfig = Pick<
  WorkerConfig,
  | 'inputTopic'
  | 'outputTopic'
  | 'unclassifiedTopic'
  | 'groupId'
  | 'sessionTimeoutMs'
  | 'outputPartitions'
  | 'outputReplicationFactor'
  | 'outputMaxRequestBytes'
  | 'chunkSize'
  | 'recordLimits'
  | 'partitionConcurrency'
  | 'exactlyOnce'
  | 'transactionalIdPrefix'
  | 'shutdownTimeoutMs'
>;

export interface StreamWorkerDeps {
  kafka: Kafka;
  config: StreamWorkerConfig;
  decoder: TweetDecoder;
  encoder: TweetEmotionEncoder;
  classifier: Classifier;
  /** Tweets the model cannot read go to config.unclassifiedTopic. @defaultValue no gate: every tweet is classified */
  language?: LanguageGate;
  deadLetter: DeadLetterSink;
  logger: Logger;
  backpressure?: Backpressure;
  observer?: PipelineObserver;
  /** Spans per chunk with trace context carried into the output headers. @defaultValue no spans (headers still copied) */
  tracer?: Tracer;
  /** @defaultValue copies the input record's headers */
  outputHeaders?: OutputHeaders;
  /** @defaultValue DEFAULT_RETRY_POLICY (5 attempts) */
  retry?: RetryPolicy;
  /** Run after the worker's own steps at stop(), in order (e.g. classifier, dead-letter store, HTTP server). */
  cleanups?: readonly Cleanup[];
  /** @defaultValue Date.now */
  now?: () => number;
  /**
   * The send-size limit, shared with the retry path's producer; start() lowers it to what the output
   * topic's max.message.bytes accepts. @defaultValue config.outputMaxRequestBytes
   */
  outputLimit?: OutputSizeLimit;
}

export interface StreamWorker {
  /** Creates the output and unclassified topics if needed, joins the group and starts consuming. */
  start(): Promise<void>;
  /**
   * Ordered shutdown within config.shutdownTimeoutMs: stop taking chunks, let the chunk in flight
   * finish (or abandon it after half the deadline), commit what is done, leave the group,
   * disconnect, then run the extra cleanups. Resolves true when everything closed cleanly in time.
   * Idempotent: a second call returns the first call's promise.
   */
  stop(): Promise<boolean>;
  /** Joined the consumer group (since the last consumer crash), consuming and not stopping (for /readyz). */
  isReady(): boolean;
  /** Partitions this replica owns now. */
  assignment(): number[];
  /** Called when the consumer crashed for good (kafkajs will not restart it): the process should exit non-zero. */
  onFatal(listener: (error: Error) => void): void;
}

export function createStreamWorker(deps: StreamWorkerDeps): StreamWorker {
  const { kafka, config, logger } = deps;
  const stopController = createStopController();
  const outputLimit = deps.outputLimit ?? { maxRequestBytes: config.outputMaxRequestBytes };
  const consumer = createTweetConsumer({
    kafka,
    groupId: config.groupId,
    topic: config.inputTopic,
    partitionConcurrency: config.partitionConcurrency,
    commitOffsets: !config.exactlyOnce,
    sessionTimeoutMs: config.sessionTimeoutMs,
    logger,
  });
  let generation = 0;
  let mode: OutputMode;
  let producerCleanup: Cleanup;
  if (config.exactlyOnce) {
    const transactions = createTransactionalOutput({
      kafka,
      groupId: config.groupId,
      transactionalIdPrefix: config.transactionalIdPrefix,
      logger,
      limit: outputLimit,
    });
    mode = {
      kind: 'exactly-once',
      transactions,
      committedOffset: (partition) => consumer.committedOffset(partition),
      groupId: config.groupId,
    };
    producerCleanup = { name: 'transactional producers', close: () => transactions.close() };
    consumer.onAssign((partitions) => {
      void transactions.releaseAllExcept(config.inputTopic, partitions).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not release the producers of revoked partitions');
      });
    });
  } else {
    const producer = createOutputProducer({ kafka, limit: outputLimit });
    mode = { kind: 'at-least-once', producer };
    producerCleanup = { name: 'producer', close: () => producer.disconnect() };
  }
  // consumer.run() resolves before the group join; /readyz waits for the join itself.
  let joined = false;
  consumer.onAssign(() => {
    generation += 1;
    joined = true;
  });

  const handler = createPartitionProcessor({
    mode,
    deadLetter: deps.deadLetter,
    signal: stopController,
    logger,
    chunkSize: config.chunkSize,
    backpressure: deps.backpressure,
    observer: deps.observer,
    tracer: deps.tracer,
    consumerGroup: config.groupId,
    generation: () => generation,
    stages: {
      decoder: deps.decoder,
      classifier: deps.classifier,
      encoder: deps.encoder,
      outputTopic: config.outputTopic,
      language: deps.language,
      outputHeaders: deps.outputHeaders ?? copyInputHeaders,
      retry: deps.retry ?? DEFAULT_RETRY_POLICY,
      now: deps.now ?? Date.now,
      recordLimits: config.recordLimits,
      outputLimit,
    },
  });

  let running = false;
  let stopping: Promise<boolean> | undefined;
  const fatalListeners: Array<(error: Error) => void> = [];
  consumer.onCrash((error, willRestart) => {
    joined = false;
    logger.error({ err: error, willRestart }, 'consumer crashed');
    if (!willRestart) for (const listener of fatalListeners) listener(error);
  });

  async function shutdown(): Promise<boolean> {
    const deadline = config.shutdownTimeoutMs;
    logger.info({ deadlineMs: deadline }, 'stopping: finishing the chunk in flight');
    stopController.stop(Math.floor(deadline / 2));
    const steps: Cleanup[] = [
      // Waits for in-flight batches, commits their finished offsets, leaves the group.
      { name: 'consumer', close: () => consumer.stop() },
      producerCleanup,
      ...(deps.cleanups ?? []),
    ];
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        logger.error({ deadlineMs: deadline }, 'shutdown deadline passed; giving up on the remaining steps');
        resolve(false);
      }, deadline);
      timer.unref();
    });
    try {
      return await Promise.race([closeInOrder(steps, logger), timedOut]);
    } finally {
      clearTimeout(timer);
      running = false;
    }
  }

  return {
    async start() {
      // Both destinations exist before the first chunk: the unclassified topic even with the gate off, so
      // its readers (the dashboard) can wait on it like on the output topic.
      const ensured = [];
      for (const topic of [config.outputTopic, config.unclassifiedTopic]) {
        const result = await ensureOutputTopic({
          kafka,
          inputTopic: config.inputTopic,
          outputTopic: topic,
          partitions: config.outputPartitions,
          replicationFactor: config.outputReplicationFactor,
        });
        if (result.created)
          logger.info({ topic, partitions: result.partitions }, 'created a topic the worker writes to');
        ensured.push(result.maxMessageBytes);
      }
      // One send may carry records of both topics: the smaller max.message.bytes bounds it.
      const known = ensured.filter((bytes): bytes is number => bytes !== undefined);
      const topicMaxMessageBytes = known.length > 0 ? Math.min(...known) : undefined;
      outputLimit.maxRequestBytes = fitToTopic(config.outputMaxRequestBytes, topicMaxMessageBytes);
      logger.info(
        {
          maxRequestBytes: outputLimit.maxRequestBytes,
          topicMaxMessageBytes: topicMaxMessageBytes ?? 'unknown (no DescribeConfigs answer)',
        },
        'output request size limit',
      );
      if (mode.kind === 'at-least-once') await mode.producer.connect();
      await consumer.start(handler);
      running = true;
      logger.info(
        {
          inputTopic: config.inputTopic,
          outputTopic: config.outputTopic,
          unclassifiedTopic: config.unclassifiedTopic,
          languageGate: deps.language !== undefined,
          groupId: config.groupId,
          exactlyOnce: config.exactlyOnce,
        },
        'worker started',
      );
    },
    stop() {
      stopping ??= shutdown();
      return stopping;
    },
    isReady: () => running && joined && !stopController.isStopping(),
    assignment: () => consumer.assignment(),
    onFatal(listener) {
      fatalListeners.push(listener);
    },
  };
}
