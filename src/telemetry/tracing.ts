import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';

/** Options of {@link startTracing}. */
export interface TracingOptions {
  /** `service.name` unless OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES say otherwise. @defaultValue `emotion-stream` */
  serviceName?: string;
  /** `service.version` resource attribute. @defaultValue none */
  serviceVersion?: string;
  /** Where the OTEL_* variables are read to decide whether tracing is on. @defaultValue `process.env` */
  env?: Record<string, string | undefined>;
}

/** Tracing as the rest of the worker sees it: a tracer (a no-op one when off) and a shutdown that flushes. */
export interface Tracing {
  readonly enabled: boolean;
  /** Why tracing is on or off, for the start-up log line. */
  readonly reason: string;
  readonly tracer: Tracer;
  /** Exports what is buffered and stops the SDK; resolves even when the collector is gone. */
  shutdown(): Promise<void>;
}

const TRACER_NAME = 'emotion-stream';
const truthy = (value: string | undefined) =>
  ['true', '1', 'yes', 'on'].includes((value ?? '').trim().toLowerCase());
const present = (value: string | undefined) => value !== undefined && value.trim() !== '';

/**
 * Decides from the standard variables whether to trace. We only trace when told where to send
 * spans: the SDK's own default (an OTLP exporter to localhost:4318) would otherwise log export
 * failures forever on every machine without a collector.
 */
export function tracingDecision(env: Record<string, string | undefined>): {
  enabled: boolean;
  reason: string;
} {
  if (truthy(env.OTEL_SDK_DISABLED)) return { enabled: false, reason: 'OTEL_SDK_DISABLED=true' };
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (exporters.includes('none')) return { enabled: false, reason: 'OTEL_TRACES_EXPORTER=none' };
  if (present(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT))
    return { enabled: true, reason: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set' };
  if (present(env.OTEL_EXPORTER_OTLP_ENDPOINT))
    return { enabled: true, reason: 'OTEL_EXPORTER_OTLP_ENDPOINT is set' };
  if (exporters.some((name) => name !== 'otlp'))
    return { enabled: true, reason: `OTEL_TRACES_EXPORTER=${exporters.join(',')}` };
  return {
    enabled: false,
    reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set',
  };
}

/**
 * Starts the OpenTelemetry Node SDK for traces only. Exporter, protocol (http/protobuf by default,
 * http/json, grpc), sampler, batch processor limits and resource come from the standard OTEL_*
 * variables, which the SDK reads itself. Metrics are Prometheus (see metrics.ts) and logs are pino,
 * so the SDK's metric and log pipelines are switched off here rather than left to their OTLP defaults.
 * Registers the global tracer provider, context manager and propagator: the OTel API is global by design.
 */
export function startTracing(options: TracingOptions = {}): Tracing {
  const env = options.env ?? process.env;
  const decision = tracingDecision(env);
  if (!decision.enabled) {
    return { ...decision, tracer: trace.getTracer(TRACER_NAME), shutdown: async () => undefined };
  }
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ? undefined : (options.serviceName ?? 'emotion-stream'),
    resource: options.serviceVersion
      ? defaultResource().merge(resourceFromAttributes({ 'service.version': options.serviceVersion }))
      : undefined,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  return {
    ...decision,
    tracer: trace.getTracer(TRACER_NAME, options.serviceVersion),
    shutdown: () => {
      // Unregistering the globals lets a later startTracing (tests, an in-process restart) register again.
      stopped ??= sdk
        .shutdown()
        .catch(() => undefined)
        .finally(() => {
          trace.disable();
          context.disable();
          propagation.disable();
        });
      return stopped;
    },
  };
}
