import {
  classifyError,
  EmotionStreamError,
  type Classifier,
  type EmotionResult,
  type Envelope,
  type Stage,
  type Tweet,
  type TweetDecoder,
  type TweetEmotionEncoder,
} from '../core';
import type { OutputRecord } from '../egress/output-record';
import { enrich } from './enrich';
import type { RetryPolicy } from './retry-policy';
import type { StopSignal } from './stop-signal';
import { withRetries } from './with-retries';

export type OutputHeaders = (envelope: Envelope) => Record<string, Buffer | string> | undefined;

/** The stages a chunk goes through, as the worker wires them. */
export interface ChunkStages {
  decoder: TweetDecoder;
  classifier: Classifier;
  encoder: TweetEmotionEncoder;
  /** Headers of the output record (tracing context, lineage); the default copies the input's. */
  outputHeaders: OutputHeaders;
  retry: RetryPolicy;
  now: () => number;
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

export const copyInputHeaders: OutputHeaders = (envelope) => {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(envelope.headers))
    if (value !== undefined) headers[name] = value;
  return headers;
};

/**
 * decode -> classify -> encode for one chunk of a partition, each step over the whole chunk
 * (one classify call, so the micro-batcher sees the chunk at once). A message that fails any
 * step leaves the chunk as a dead letter; the others carry on.
 */
export async function processChunk(
  envelopes: readonly Envelope[],
  stages: ChunkStages,
  signal: StopSignal,
): Promise<ChunkOutcome> {
  const deadLetters: DeadLetterItem[] = [];
  const decoded = await withRetries(
    envelopes,
    (batch) => Promise.all(batch.map((envelope) => settle(() => stages.decoder.decode(envelope), 'decode'))),
    isError,
    stages.retry,
    signal,
    stages.now,
  );
  const tweets: Array<{ envelope: Envelope; tweet: Tweet }> = [];
  decoded.forEach((attempt, index) => {
    const envelope = envelopes[index];
    if (attempt.ok) tweets.push({ envelope, tweet: attempt.value });
    else deadLetters.push({ envelope, ...attempt });
  });

  const classified = await withRetries(
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
  );

  const processedAt = stages.now();
  const events: Array<{ envelope: Envelope; tweet: Tweet; result: EmotionResult }> = [];
  classified.forEach((attempt, index) => {
    const { envelope, tweet } = tweets[index];
    if (attempt.ok) events.push({ envelope, tweet, result: attempt.value });
    else deadLetters.push({ envelope, ...attempt });
  });
  const encoded = await withRetries(
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
  );

  const records: OutputRecord[] = [];
  events.forEach(({ envelope, tweet }, index) => {
    const attempt = encoded[index];
    if (attempt.ok)
      records.push({ key: tweet.id, value: attempt.value, headers: stages.outputHeaders(envelope) });
    else deadLetters.push({ envelope, ...attempt });
  });
  return { records, deadLetters };
}
