import {
  classifyError,
  EmotionStreamError,
  PoisonMessageError,
  type Classifier,
  type EmotionResult,
  type Envelope,
  type HeaderValue,
  type Stage,
  type Tweet,
  type TweetDecoder,
  type TweetEmotionEncoder,
} from '../core';
import type { OutputRecord } from '../egress/output-record';
import { recordBytes, type OutputSizeLimit } from '../core/record-size';
import { checkRecordLimits, DEFAULT_RECORD_LIMITS, type RecordLimits } from '../ingest/record-limits';
import type { ChunkTrace, TraceStage } from '../telemetry';
import { enrich } from './enrich';
import type { RetryPolicy } from '../core';
import type { StopSignal } from './stop-signal';
import { withRetries } from './with-retries';

export type OutputHeaders = (envelope: Envelope) => OutputRecord['headers'];

/** The stages a chunk goes through, as the worker wires them. */
export interface ChunkStages {
  decoder: TweetDecoder;
  classifier: Classifier;
  encoder: TweetEmotionEncoder;
  /** Headers of the output record (tracing context, lineage); the default copies the input's. */
  outputHeaders: OutputHeaders;
  retry: RetryPolicy;
  now: () => number;
  /** Key and header bounds checked before decoding. @defaultValue DEFAULT_RECORD_LIMITS */
  recordLimits?: RecordLimits;
  /** An enriched record over this size is dead-lettered as OUTPUT_TOO_LARGE. @defaultValue no check */
  outputLimit?: OutputSizeLimit;
}

export interface DeadLetterItem {
  envelope: Envelope;
  error: EmotionStreamError;
  attempts: number;
  firstFailedAt: number;
}

/** What became of a chunk: output records (input order) and the messages that must be dead-lettered. */
export interface ChunkOutcome {
  records: OutputRecord[];
  deadLetters: DeadLetterItem[];
  /** Event time (tweet createdAt, epoch ms) of each record, same order: end-to-end latency. */
  eventTimes?: number[];
}

/** Per-chunk telemetry hooks of processChunk; all optional. */
export interface ChunkTelemetry {
  /** The chunk's spans: a child span per stage, output headers that continue each message's trace. */
  trace?: ChunkTrace;
  /** A retriable failure of one item that will be tried again. */
  onRetry?: (error: EmotionStreamError) => void;
}

const isError = <T>(value: T | EmotionStreamError): value is EmotionStreamError =>
  value instanceof EmotionStreamError;

/** Runs one item's step; whatever it throws (synchronously or not) becomes a classified error value. */
async function settle<T>(step: () => Promise<T>, stage: Stage): Promise<T | EmotionStreamError> {
  try {
    return await step();
  } catch (error) {
    return classifyError(error, stage);
  }
}

// fromEntries defines own properties: a header named `__proto__` is copied, not made the prototype.
export const copyInputHeaders: OutputHeaders = (envelope) =>
  Object.fromEntries(
    Object.entries(envelope.headers).filter(
      (entry): entry is [string, HeaderValue] => entry[1] !== undefined,
    ),
  );
/** The broker would refuse the record on its own (MESSAGE_TOO_LARGE, not retriable): poison, not a failed round. */
function oversize(record: OutputRecord, limit: OutputSizeLimit): PoisonMessageError | undefined {
  const bytes = recordBytes(record);
  if (bytes <= limit.maxRequestBytes) return undefined;
  return new PoisonMessageError(
    'OUTPUT_TOO_LARGE',
    `the enriched record takes up to ${bytes} bytes (key, value, headers), over the output limit of ${limit.maxRequestBytes} bytes (OUTPUT_MAX_REQUEST_BYTES or the output topic's max.message.bytes)`,
    { stage: 'produce' },
  );
}


/**
 * decode -> classify -> encode for one chunk of a partition, each step over the whole chunk
 * (one classify call, so the micro-batcher sees the chunk at once). A message that fails any
 * step leaves the chunk as a dead letter; the others carry on.
 */
export async function processChunk(
  envelopes: readonly Envelope[],
  stages: ChunkStages,
  signal: StopSignal,
  telemetry: ChunkTelemetry = {},
): Promise<ChunkOutcome> {
  const { trace, onRetry } = telemetry;
  const span = <T>(name: TraceStage, work: () => Promise<T>): Promise<T> =>
    trace ? trace.stage(name, work) : work();
  const deadLetters: DeadLetterItem[] = [];
  const decoded = await span('decode', () =>
    withRetries(
      envelopes,
      (batch) =>
        Promise.all(
          batch.map((envelope) =>
            settle(async () => {
              checkRecordLimits(envelope, stages.recordLimits ?? DEFAULT_RECORD_LIMITS);
              return stages.decoder.decode(envelope);
            }, 'decode'),
          ),
        ),
      isError,
      stages.retry,
      signal,
      stages.now,
      onRetry,
    ),
  );
  const tweets: Array<{ envelope: Envelope; tweet: Tweet }> = [];
  decoded.forEach((attempt, index) => {
    const envelope = envelopes[index];
    if (attempt.ok) tweets.push({ envelope, tweet: attempt.value });
    else deadLetters.push({ envelope, ...attempt });
  });

  const classified = await span('infer', () =>
    withRetries(
      tweets,
      async (batch): Promise<Array<EmotionResult | EmotionStreamError>> => {
        try {
          const results = await stages.classifier.classify(batch.map((item) => item.tweet.text));
          return results.map((result) => (result instanceof Error ? classifyError(result, 'infer') : result));
        } catch (error) {
          const failure = classifyError(error, 'infer');
          return batch.map(() => failure);
        }
      },
      isError,
      stages.retry,
      signal,
      stages.now,
      onRetry,
    ),
  );

  const processedAt = stages.now();
  const events: Array<{ envelope: Envelope; tweet: Tweet; result: EmotionResult }> = [];
  classified.forEach((attempt, index) => {
    const { envelope, tweet } = tweets[index];
    if (attempt.ok) events.push({ envelope, tweet, result: attempt.value });
    else deadLetters.push({ envelope, ...attempt });
  });
  const encoded = await span('encode', () =>
    withRetries(
      events,
      (batch) =>
        Promise.all(
          batch.map(({ envelope, tweet, result }) =>
            settle(
              () =>
                stages.encoder.encode(enrich(envelope, tweet, result, stages.classifier.model, processedAt)),
              'encode',
            ),
          ),
        ),
      isError,
      stages.retry,
      signal,
      stages.now,
      onRetry,
    ),
  );

  const records: OutputRecord[] = [];
  const eventTimes: number[] = [];
  const position = new Map(envelopes.map((envelope, index) => [envelope, index]));
  const headersOf = (envelope: Envelope) => {
    const headers = stages.outputHeaders(envelope);
    const index = position.get(envelope);
    // The output record continues the input's trace (its traceparent names this worker's span).
    return trace && index !== undefined ? trace.injectOutputHeaders(index, { ...headers }) : headers;
  };
  events.forEach(({ envelope, tweet }, index) => {
    const attempt = encoded[index];
    if (!attempt.ok) {
      deadLetters.push({ envelope, ...attempt });
      return;
    }
    const record: OutputRecord = { key: tweet.id, value: attempt.value, headers: headersOf(envelope) };
    const tooLarge = stages.outputLimit && oversize(record, stages.outputLimit);
    if (tooLarge) {
      deadLetters.push({ envelope, error: tooLarge, attempts: 1, firstFailedAt: stages.now() });
      return;
    }
    records.push(record);
    eventTimes.push(tweet.createdAt);
  });
  if (trace) {
    for (const item of deadLetters) {
      const index = position.get(item.envelope);
      if (index !== undefined) trace.failMessage(index, item.error);
    }
  }
  return { records, deadLetters, eventTimes };
}
