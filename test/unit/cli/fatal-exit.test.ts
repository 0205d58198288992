import { fatalMessage } from '../../../src/cli/fatal-exit';
import { ConfigError, KafkaUnavailableError } from '../../../src/core';

describe('the line a failed command prints', () => {
  it('is the known error message, one line, with URL credentials hidden', () => {
    expect(fatalMessage(new ConfigError('REDIS_URL: cannot reach redis://:pw@host:1'))).toBe(
      'emotion-stream: REDIS_URL: cannot reach redis://***@host:1\n',
    );
    expect(fatalMessage(new KafkaUnavailableError('Kafka at a:1 is unreachable'))).toBe(
      'emotion-stream: Kafka at a:1 is unreachable\n',
    );
  });

  it('names a Kafka client failure as such and what to check', () => {
    const error = new Error('The group coordinator is not available');
    error.name = 'KafkaJSProtocolError';
    expect(fatalMessage(error)).toBe(
      "emotion-stream: Kafka: The group coordinator is not available; check KAFKA_BROKERS and the brokers' health\n",
    );
  });

  it('calls anything else a bug in one line, with the stack only at debug level', () => {
    const error = new TypeError('x is not a function');
    const line = fatalMessage(error, { LOG_LEVEL: 'info' });
    expect(line.trim().split('\n')).toHaveLength(1);
    expect(line).toMatch(
      /^emotion-stream: unexpected error: TypeError: x is not a function \(a bug: rerun with LOG_LEVEL=debug/,
    );
    expect(fatalMessage(error, { LOG_LEVEL: 'debug' })).toContain('fatal-exit.test.ts');
  });
});
