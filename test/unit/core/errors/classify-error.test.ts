import {
  classifyError,
  ConfigError,
  KafkaUnavailableError,
  PoisonMessageError,
  RedisUnavailableError,
  RegistryUnavailableError,
  UnexpectedError,
} from '../../../../src/core';

function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, extra);
}

describe('classifyError', () => {
  it('returns emotion-stream errors unchanged', () => {
    const poison = new PoisonMessageError('NOT_AVRO', 'x');
    expect(classifyError(poison, 'infer')).toBe(poison);
    const config = new ConfigError('bad');
    expect(classifyError(config, 'infer')).toBe(config);
  });

  it('maps kafkajs connection failures to KAFKA_UNAVAILABLE', () => {
    const error = classifyError(
      named('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED'),
      'produce',
    );
    expect(error).toBeInstanceOf(KafkaUnavailableError);
    expect(error).toMatchObject({ code: 'KAFKA_UNAVAILABLE', stage: 'produce', retriable: true });
    expect(
      classifyError(named('KafkaJSProtocolError', 'leader moved', { retriable: true }), 'produce').code,
    ).toBe('KAFKA_UNAVAILABLE');
  });

  it('treats a non-retriable kafkajs error as a bug', () => {
    expect(
      classifyError(named('KafkaJSProtocolError', 'invalid record', { retriable: false }), 'produce'),
    ).toBeInstanceOf(UnexpectedError);
  });

  it('maps ioredis failures to REDIS_UNAVAILABLE', () => {
    expect(
      classifyError(new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'dlq'),
    ).toBeInstanceOf(RedisUnavailableError);
    expect(
      classifyError(named('MaxRetriesPerRequestError', 'Reached the max retries per request limit'), 'dlq')
        .code,
    ).toBe('REDIS_UNAVAILABLE');
    expect(classifyError(new Error('Connection is closed.'), 'dlq').retriable).toBe(true);
  });

  it('blames a bare network error on the service of the stage', () => {
    const refused = () => named('Error', 'connect ECONNREFUSED 127.0.0.1:8081', { code: 'ECONNREFUSED' });
    expect(classifyError(refused(), 'decode')).toBeInstanceOf(RegistryUnavailableError);
    expect(classifyError(refused(), 'dlq')).toBeInstanceOf(RedisUnavailableError);
    expect(classifyError(refused(), 'ingest')).toBeInstanceOf(KafkaUnavailableError);
  });

  it('maps anything else to UNEXPECTED, retriable, keeping the cause', () => {
    const cause = new TypeError('cannot read properties of undefined');
    const error = classifyError(cause, 'encode');
    expect(error).toMatchObject({ code: 'UNEXPECTED', stage: 'encode', retriable: true });
    expect(error.message).toContain('TypeError: cannot read properties of undefined');
    expect(error.cause).toBe(cause);
    expect(classifyError('a thrown string', 'infer').message).toContain('a thrown string');
  });
});
