import type { Tracer } from '@opentelemetry/api';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { DeadLetterSink, RetryPolicy } from '../core';
import { BullmqRetryQueue, createBlockingRedis, createFailFastRedis, type RetryJobState } from '../dlq';
import { createOutputProducer } from '../egress/output-producer';
import { ChunkTrace, semconv } from '../telemetry';
import type { PipelineObserver } from './pipeline-observer';
import { processChunk, type ChunkStages } from './process-chunk';
import { createStopController } from './stop-signal';

export interface RetryPathOptions {
  kafka: Kafka;
  redisUrl: string;
  /** The retry queue's name (`<DLQ_QUEUE>-retry`). */
  queueName: string;
  redisTimeoutMs: number;
  /** Attempts in all, in-process ones included, and the backoff of the queued ones. */
  policy: RetryPolicy;
  /** Where a record goes after its last attempt, or at once when it is poison. */
  deadLetters: DeadLetterSink;
  /** The same stages as the worker's (decoder, language gate, classifier, encoders, topics, headers). */
  stages: ChunkStages;
  logger: Logger;
  /** Metrics hooks: records produced by a retry, and records handed to the retry queue. @defaultValue none */
  observer?: Pick<PipelineObserver, 'produced' | 'languagesDecided' | 'retried'>;
  /**
   * Traces each attempt like a chunk of the hot path (a `process <topic>` span linked to the
   * producer, stage spans, the record's own trace continued into its output headers), marked with
   * `emotion_stream.retry.queue`. @defaultValue no spans
   */
  tracer?: Tracer;
}

export interface RetryPath {
  /** What the pipeline dead-letters into: retriable failures with attempts left are queued, the rest dead-lettered. */
  sink: DeadLetterSink;
  /**
   * Starts re-running queued records. Called once the stream worker has started, so retries use the
   * send limit it fitted to the topics' max.message.bytes (jobs queued before simply wait).
   */
  start(): Promise<void>;
  /** The retry queue's jobs by state (for the metrics). */
  counts(): Promise<Record<RetryJobState, number>>;
  close(): Promise<void>;
}

/**
 * Retries that do not hold up a partition. The hot path tries a transiently failing record a
 * couple of times in-process; if it still fails, the record (original bytes) is handed to a
 * BullMQ retry queue — durably, so its offset can be committed — and a BullMQ worker runs it again
 * through decode -> language gate -> classify -> encode -> produce (output or unclassified topic) with exponential backoff, dead-lettering it after
 * the last attempt. Retried records reach the output later than their neighbours (per-key order
 * is not kept for them) and, in exactly-once mode, outside the partition's transactions
 * (at-least-once for them).
 */
export async function openRetryPath(options: RetryPathOptions): Promise<RetryPath> {
  const onRedisError = (error: Error) => options.logger.warn({ err: error }, 'retry queue: Redis error');
  const connection = createFailFastRedis(options.redisUrl, {
    timeoutMs: options.redisTimeoutMs,
    onError: onRedisError,
  });
  const workerConnection = createBlockingRedis(options.redisUrl, onRedisError);
  const producer = createOutputProducer({ kafka: options.kafka, limit: options.stages.outputLimit });
  const queue = new BullmqRetryQueue({
    connection,
    workerConnection,
    queueName: options.queueName,
    policy: options.policy,
    deadLetters: options.deadLetters,
    timeoutMs: options.redisTimeoutMs,
    onFailure: (id, error) => options.logger.warn({ err: error, id }, 'retry attempt failed'),
  });
  const stop = createStopController();
  // One attempt per job: the queue does the backoff between attempts.
  const stages: ChunkStages = { ...options.stages, retry: { ...options.policy, maxAttempts: 1 } };
  try {
    await producer.connect();
  } catch (error) {
    connection.disconnect();
    workerConnection.disconnect();
    throw error;
  }
  const run = (): Promise<void> =>
    queue.start(async (envelope) => {
      const trace = options.tracer ? ChunkTrace.start(options.tracer, [envelope]) : undefined;
      trace?.span.setAttribute(semconv.ATTR_RETRY_QUEUE, options.queueName);
      try {
        const outcome = await processChunk([envelope], stages, stop, { trace });
        const [failed] = outcome.deadLetters;
        if (failed) throw failed.error;
        const send = () => producer.send(outcome.records);
        await (trace ? trace.stage('produce', send) : send());
        trace?.end();
        options.observer?.produced?.(outcome.produced ?? [], Date.now());
        options.observer?.languagesDecided?.(outcome.languages ?? []);
      } catch (error) {
        trace?.end(error);
        throw error;
      }
    });
  return {
    start: run,
    sink: {
      deadLetter: async (envelope, error, attempts, failure) => {
        await queue.schedule(envelope, error, attempts, failure);
        // The queue's own rule (retriable with attempts left): the record now waits for a retry.
        if (error.retriable && attempts < options.policy.maxAttempts) options.observer?.retried?.(error);
      },
    },
    counts: () => queue.counts(),
    async close() {
      stop.stop(0);
      // Let a running attempt finish while Redis answers, but never wait on a Redis that is gone:
      // the bound keeps shutdown within its deadline, and a job cut short is retried later by BullMQ.
      const closing = queue
        .close()
        .catch((error: unknown) => options.logger.warn({ err: error }, 'retry queue: close failed'));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        closing,
        new Promise((resolve) => (timer = setTimeout(resolve, 2 * options.redisTimeoutMs))),
      ]);
      clearTimeout(timer);
      connection.disconnect();
      workerConnection.disconnect();
      await producer.disconnect();
    },
  };
}
