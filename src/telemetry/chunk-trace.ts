import {
  SpanKind,
  SpanStatusCode,
  context as contextApi,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { extractTraceContext, injectTraceContext, traceHeaders, type KafkaHeaders } from './trace-headers';
import * as semconv from './semconv';

/** What the tracing helpers need to know about one consumed record (an Envelope satisfies it). */
export interface TracedMessage {
  topic: string;
  partition: number;
  offset: string;
  headers: KafkaHeaders;
}

/** Options of {@link ChunkTrace.start}. */
export interface ChunkTraceOptions {
  /**
   * Most producer contexts linked from the chunk span. Each link costs memory until export and
   * backends reject spans with thousands of links, so a large chunk links only its first ones and
   * records how many it dropped in `emotion_stream.batch.links_dropped`.
   * @defaultValue 128
   */
  maxLinks?: number;
  /** Kafka consumer group, recorded as `messaging.consumer.group.name`. @defaultValue none */
  consumerGroup?: string;
  /**
   * Also start one `enrich <topic>` span per message, parented to the producer's context, so each
   * tweet's own trace continues through this worker into its output record and DLQ entry.
   * @defaultValue true
   */
  messageSpans?: boolean;
}

/** Stage names used as child spans of a chunk (see README, Observability). */
export type TraceStage = 'consume' | 'decode' | 'infer' | 'encode' | 'produce';

const DEFAULT_MAX_LINKS = 128;

function errorAttributes(error: unknown): Attributes {
  if (error && typeof error === 'object' && 'code' in error && 'stage' in error) {
    return { [semconv.ATTR_ERROR_CODE]: String(error.code), [semconv.ATTR_ERROR_STAGE]: String(error.stage) };
  }
  return {};
}

/** Marks `span` failed with `error`; the one place our spans record errors. */
export function recordSpanError(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setAttributes(errorAttributes(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
}

function single<T>(values: T[]): T | undefined {
  return values.length > 0 && values.every((value) => value === values[0]) ? values[0] : undefined;
}

/**
 * The spans of one chunk (PIPELINE_CHUNK_SIZE records of one partition, handled as a unit): a
 * `process <topic>` consumer span linked to each message's producer context (capped), child spans
 * per stage (consume, decode, infer, produce), and optionally one span per message that continues
 * the message's own trace. A chunk is neither kafkajs' eachBatch batch nor a model micro-batch (the
 * batcher regroups texts across partitions), which is why this is hand-made rather than
 * @opentelemetry/instrumentation-kafkajs' spans.
 */
export class ChunkTrace {
  private readonly messageSpans: Array<Span | undefined>;
  private ended = false;

  private constructor(
    private readonly tracer: Tracer,
    readonly span: Span,
    readonly context: Context,
    private readonly messages: readonly TracedMessage[],
    messageSpans: Array<Span | undefined>,
  ) {
    this.messageSpans = messageSpans;
  }

  static start(
    tracer: Tracer,
    messages: readonly TracedMessage[],
    options: ChunkTraceOptions = {},
  ): ChunkTrace {
    const maxLinks = options.maxLinks ?? DEFAULT_MAX_LINKS;
    const producerContexts = messages.map((message) => extractTraceContext(message.headers));
    const links: Link[] = [];
    let linkable = 0;
    for (const producerContext of producerContexts) {
      const spanContext = trace.getSpanContext(producerContext);
      if (!spanContext) continue;
      linkable += 1;
      if (links.length < maxLinks) links.push({ context: spanContext });
    }
    const topic = single(messages.map((message) => message.topic));
    const partition = single(messages.map((message) => message.partition));
    const attributes: Attributes = {
      [semconv.ATTR_MESSAGING_SYSTEM]: semconv.MESSAGING_SYSTEM_KAFKA,
      [semconv.ATTR_MESSAGING_OPERATION_TYPE]: 'process',
      [semconv.ATTR_MESSAGING_OPERATION_NAME]: 'process',
      [semconv.ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: messages.length,
      [semconv.ATTR_LINKS_DROPPED]: linkable - links.length,
    };
    if (topic !== undefined) attributes[semconv.ATTR_MESSAGING_DESTINATION_NAME] = topic;
    if (partition !== undefined)
      attributes[semconv.ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(partition);
    if (options.consumerGroup) attributes[semconv.ATTR_MESSAGING_CONSUMER_GROUP_NAME] = options.consumerGroup;

    // A chunk is its own trace root: its messages come from many producers' traces.
    const span = tracer.startSpan(
      topic ? `process ${topic}` : 'process',
      { kind: SpanKind.CONSUMER, attributes, links, root: true },
      contextApi.active(),
    );
    const chunkContext = trace.setSpan(contextApi.active(), span);

    const messageSpans = messages.map((message, index) => {
      if (options.messageSpans === false) return undefined;
      const producerContext = producerContexts[index];
      // A message without trace headers gets its span under the chunk instead of a lonely root.
      const parent = trace.getSpanContext(producerContext) ? producerContext : chunkContext;
      return tracer.startSpan(
        `enrich ${message.topic}`,
        {
          kind: SpanKind.CONSUMER,
          links: [{ context: span.spanContext() }],
          attributes: {
            [semconv.ATTR_MESSAGING_SYSTEM]: semconv.MESSAGING_SYSTEM_KAFKA,
            [semconv.ATTR_MESSAGING_OPERATION_TYPE]: 'process',
            [semconv.ATTR_MESSAGING_OPERATION_NAME]: 'process',
            [semconv.ATTR_MESSAGING_DESTINATION_NAME]: message.topic,
            [semconv.ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(message.partition),
            [semconv.ATTR_MESSAGING_KAFKA_OFFSET]: Number(message.offset),
            ...(options.consumerGroup
              ? { [semconv.ATTR_MESSAGING_CONSUMER_GROUP_NAME]: options.consumerGroup }
              : {}),
          },
        },
        parent,
      );
    });
    return new ChunkTrace(tracer, span, chunkContext, messages, messageSpans);
  }

  /** Number of messages in the chunk. */
  get size(): number {
    return this.messages.length;
  }

  /**
   * The context that continues message `index`'s trace: its own span when message spans are on,
   * otherwise the producer's context (so headers still pass through), otherwise the chunk's.
   */
  messageContext(index: number): Context {
    const span = this.messageSpans[index];
    if (span) return trace.setSpan(contextApi.active(), span);
    const producerContext = extractTraceContext(this.messages[index].headers);
    return trace.getSpanContext(producerContext) ? producerContext : this.context;
  }

  /** Writes message `index`'s trace context into the headers of its output record; returns them. */
  injectOutputHeaders<T extends KafkaHeaders>(index: number, headers: T): T & KafkaHeaders {
    return injectTraceContext(this.messageContext(index), headers);
  }

  /** Message `index`'s trace headers as strings, for its dead-letter entry. */
  deadLetterHeaders(index: number): Record<string, string> {
    return traceHeaders(this.messageContext(index));
  }

  /** Records that message `index` failed (dead-lettered or retried) on its span and counts it on the chunk. */
  failMessage(index: number, error: unknown): void {
    const span = this.messageSpans[index];
    if (span) recordSpanError(span, error);
    this.span.addEvent('message failed', {
      [semconv.ATTR_MESSAGING_KAFKA_OFFSET]: Number(this.messages[index].offset),
      ...errorAttributes(error),
    });
  }

  /** Adds attributes to message `index`'s span (e.g. its language decision); nothing when message spans are off. */
  annotateMessage(index: number, attributes: Attributes): void {
    this.messageSpans[index]?.setAttributes(attributes);
  }

  /** Runs `work` inside a child span named after the stage; a rejection marks the span failed and propagates. */
  async stage<T>(
    name: TraceStage,
    work: (span: Span) => Promise<T>,
    attributes: Attributes = {},
  ): Promise<T> {
    const kind = name === 'produce' ? SpanKind.PRODUCER : SpanKind.INTERNAL;
    const span = this.tracer.startSpan(name, { kind, attributes }, this.context);
    try {
      return await contextApi.with(trace.setSpan(this.context, span), () => work(span));
    } catch (error) {
      recordSpanError(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** Adds a child span for a stage timed elsewhere (e.g. `consume`: first record fetched -> chunk flushed). */
  recordStage(name: TraceStage, startTimeMs: number, endTimeMs: number, attributes: Attributes = {}): void {
    const span = this.tracer.startSpan(
      name,
      { kind: SpanKind.INTERNAL, attributes, startTime: startTimeMs },
      this.context,
    );
    span.end(endTimeMs);
  }

  /** Ends every span of the chunk; an error marks the chunk span failed. Safe to call twice. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (error !== undefined) recordSpanError(this.span, error);
    for (const span of this.messageSpans) span?.end();
    this.span.end();
  }
}
