import { schemaRegistryConnection } from '../../../src/config/schema-registry-settings';
import { ConfigError } from '../../../src/core';
import { loadWorkerConfig } from '../../../src/config/worker-config';
import { WORKER_SETTINGS } from '../../../src/config/worker-settings';

describe('schema registry settings (Confluent basic.auth.credentials.source semantics)', () => {
  it('takes credentials out of the URL (source URL, the default without user info)', () => {
    expect(
      schemaRegistryConnection({ SCHEMA_REGISTRY_URL: 'https://key:s%40cret@reg.example/apis/ccompat/v7/' }),
    ).toEqual({
      connection: {
        url: 'https://reg.example/apis/ccompat/v7',
        auth: { username: 'key', password: 's@cret' },
      },
      problems: [],
    });
  });

  it('uses SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO when set (source USER_INFO), splitting at the first colon', () => {
    expect(
      schemaRegistryConnection({
        SCHEMA_REGISTRY_URL: 'https://ignored:x@reg.example',
        SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'key:pa:ss',
      }).connection,
    ).toEqual({ url: 'https://reg.example', auth: { username: 'key', password: 'pa:ss' } });
  });

  it('honours an explicit source', () => {
    expect(
      schemaRegistryConnection({
        SCHEMA_REGISTRY_URL: 'https://u:p@reg.example',
        SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'key:secret',
        SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE: 'url',
      }).connection?.auth,
    ).toEqual({ username: 'u', password: 'p' });
    expect(
      schemaRegistryConnection({
        SCHEMA_REGISTRY_URL: 'https://reg.example',
        SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE: 'USER_INFO',
      }).problems,
    ).toEqual(['  SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: required when the credentials source is USER_INFO']);
  });

  it('reports bad values without quoting them', () => {
    let error: unknown;
    try {
      loadWorkerConfig({
        SCHEMA_REGISTRY_URL: 'https://u:s3cr#t@',
        SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'no-colon-secret',
        SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE: 'SASL_INHERIT',
        REDIS_URL: 'redis://:pw-in-url#@',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/SCHEMA_REGISTRY_URL: expected an http\(s\) URL/);
    expect(message).toMatch(/SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE: expected URL or USER_INFO/);
    expect(message).toMatch(/REDIS_URL: expected a URL/);
    expect(message).not.toMatch(/s3cr|no-colon-secret|pw-in-url/);
  });

  it('marks the user info as a secret in the settings table', () => {
    expect(
      WORKER_SETTINGS.find((setting) => setting.name === 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO')?.secret,
    ).toBe(true);
  });
});
