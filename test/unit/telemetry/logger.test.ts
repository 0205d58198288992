import {
  ROOT_CONTEXT,
  context,
  trace,
  TraceFlags,
  type Context,
  type ContextManager,
} from '@opentelemetry/api';
import { Writable } from 'node:stream';
import { createLogger, TEXT_PLACEHOLDER } from '../../../src/telemetry';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

// A synchronous context manager: enough for `context.with` around a log call, no extra package.
class StackContextManager implements ContextManager {
  private stack: Context[] = [];
  active = (): Context => this.stack[this.stack.length - 1] ?? ROOT_CONTEXT;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.stack.push(ctx);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.stack.pop();
    }
  }
  bind = <T>(_ctx: Context, target: T): T => target;
  enable = (): this => this;
  disable = (): this => this;
}

describe('createLogger', () => {
  beforeAll(() => context.setGlobalContextManager(new StackContextManager()));
  afterAll(() => context.disable());

  it('writes JSON with the active span ids', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ destination });
    const spanContext = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    };
    context.with(trace.setSpanContext(context.active(), spanContext), () => logger.info('inside'));
    logger.info('outside');
    expect(lines[0]).toMatchObject({
      msg: 'inside',
      trace_id: spanContext.traceId,
      span_id: spanContext.spanId,
      trace_flags: '01',
    });
    expect(lines[1]).toMatchObject({ msg: 'outside', name: 'emotion-stream', level: 30 });
    expect(lines[1].trace_id).toBeUndefined();
  });

  it('redacts secrets at any level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ destination, level: 'debug' });
    logger.info(
      { kafka: { sasl: { username: 'u', password: 'p' } }, password: 'x', redis: { token: 't' } },
      'config',
    );
    expect(lines[0].password).toBe('[redacted]');
    expect(lines[0].kafka).toEqual({ sasl: '[redacted]' });
    expect(lines[0].redis).toEqual({ token: '[redacted]' });
  });

  it('removes URL credentials from messages and from logged errors', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ destination, level: 'debug' });
    logger.warn(
      { err: new Error('connect to redis://:s3cr3t@redis:6379 refused') },
      'retrying https://u:pw9@reg/x',
    );
    expect(JSON.stringify(lines[0])).not.toMatch(/s3cr3t|pw9/);
    expect(lines[0].msg).toBe('retrying https://***@reg/x');
    expect((lines[0].err as { message: string }).message).toBe('connect to redis://***@redis:6379 refused');
  });

  it('drops tweet text at info and above but keeps it at debug', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ destination, level: 'debug' });
    logger.info({ tweet: { id: '1', text: 'I am so happy' } }, 'labelled');
    logger.warn({ text: 'top level' }, 'poison');
    logger.debug({ tweet: { id: '1', text: 'I am so happy' } }, 'debugging');
    expect(lines[0].tweet).toEqual({ id: '1', text: TEXT_PLACEHOLDER });
    expect(lines[1].text).toBe(TEXT_PLACEHOLDER);
    expect(lines[2].tweet).toEqual({ id: '1', text: 'I am so happy' });
  });

  it('keeps errors intact', () => {
    const { lines, destination } = capture();
    createLogger({ destination }).error({ err: new Error('boom') }, 'failed');
    expect(lines[0].err).toMatchObject({ message: 'boom', type: 'Error' });
  });
});
