import { classifyError, isSecretSetting, redactText, redactUrl } from '../../../src/core';

describe('redaction of secrets in text', () => {
  it.each([
    ['redis://:s3cr#t@127.0.0.1:6379/0', 'redis://***@127.0.0.1:6379/0'],
    ['rediss://user:p@ss:w0rd@redis.example:6380', 'rediss://***@redis.example:6380'],
    ['https://key:secret@registry.example/apis', 'https://***@registry.example/apis'],
    [
      'http://registry:8081/subjects?x=1&password=hunter2&api_key=k1#frag',
      'http://registry:8081/subjects?x=1&password=***&api_key=***#frag',
    ],
    ['http://host/?access_token=abc', 'http://host/?access_token=***'],
    ['plain text, no URL', 'plain text, no URL'],
    ['http://registry:8081/apis/ccompat/v7', 'http://registry:8081/apis/ccompat/v7'],
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('finds every URL inside a longer message', () => {
    expect(redactText('connect to redis://:pw1@a:1 failed, then "https://u:pw2@b/x" too')).toBe(
      'connect to redis://***@a:1 failed, then "https://***@b/x" too',
    );
  });

  it('knows secret settings by name', () => {
    for (const name of ['KAFKA_SASL_PASSWORD', 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO', 'DASHBOARD_TOKEN'])
      expect({ name, secret: isSecretSetting(name) }).toEqual({ name, secret: true });
    for (const name of ['REDIS_URL', 'KAFKA_SSL_KEY_FILE', 'HTTP_PORT'])
      expect({ name, secret: isSecretSetting(name) }).toEqual({ name, secret: false });
  });
});

describe('errors classified from foreign libraries', () => {
  it('lose URL credentials from their message (it becomes a dead letter reason)', () => {
    const error = new Error('cannot reach http://user:hunter2@registry:8081/schemas/ids/3');
    expect(classifyError(error, 'decode').message).toBe(
      'Error: cannot reach http://***@registry:8081/schemas/ids/3',
    );
  });
});
