import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { redactText } from '../core/redact';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written. @defaultValue `info` */
  level?: Level | 'silent';
  /** Where lines go. @defaultValue stdout */
  destination?: DestinationStream;
  /** Human-readable colored lines instead of JSON. @defaultValue true when stdout is a TTY and no destination is given */
  pretty?: boolean;
  /** Bound to every line as `name`. @defaultValue `emotion-stream` */
  name?: string;
}

/** Keys whose values never reach a log line, at the top level or nested up to two objects deep. */
export const REDACTED_KEYS = [
  'password',
  'secret',
  'token',
  'apiKey',
  'authorization',
  'cookie',
  'sasl',
  'ssl.key',
  'credentials',
];
const REDACT_PATHS = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** Tweet bodies are user content: they are dropped from any line at info level or above. */
const TEXT_KEY = 'text';
const INFO_LEVEL = 30;
export const TEXT_PLACEHOLDER = '[tweet text omitted at info level]';

function withoutText(value: unknown, depth: number): unknown {
  if (
    depth > 3 ||
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Buffer.isBuffer(value) ||
    value instanceof Error
  ) {
    return value;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] =
      key === TEXT_KEY && typeof inner === 'string' ? TEXT_PLACEHOLDER : withoutText(inner, depth + 1);
  }
  return copy;
}

/**
 * Errors are logged with URL credentials removed from their message and stack: a client library's
 * error may quote the URL it was given (redis://:password@host).
 */
function errorWithoutSecrets(error: Error): pino.SerializedError {
  const serialized = pino.stdSerializers.err(error);
  serialized.message = redactText(serialized.message);
  if (serialized.stack) serialized.stack = redactText(serialized.stack);
  return serialized;
}

/** The active span's ids, so a log line can be found from its trace and back. */
function traceFields(): Record<string, string> {
  const spanContext = trace.getSpanContext(context.active());
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`.slice(-2),
  };
}

/**
 * The worker's pino logger: JSON lines with `trace_id`/`span_id` of the active span, secrets
 * redacted, tweet text removed at info and above (it stays available at debug for local
 * investigation), pretty-printed in a terminal.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const prettyOutput = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  const destination =
    options.destination ??
    (prettyOutput
      ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', sync: true })
      : pino.destination(1));
  return pino(
    {
      name: options.name ?? 'emotion-stream',
      level: options.level ?? 'info',
      mixin: traceFields,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: errorWithoutSecrets },
      hooks: {
        logMethod(rawArgs, method, level) {
          const args = rawArgs.map((arg) =>
            typeof arg === 'string' ? redactText(arg) : arg,
          ) as typeof rawArgs;
          if (level >= INFO_LEVEL && args.length > 0 && typeof args[0] === 'object' && args[0] !== null) {
            const [first, ...rest] = args as unknown[];
            return method.apply(this, [withoutText(first, 0), ...rest] as Parameters<typeof method>);
          }
          return method.apply(this, args);
        },
      },
    },
    destination,
  );
}
