import { ConfigError } from '../core';

/** Basic-auth credentials of the schema registry. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Where the registry is and how to authenticate; the URL never carries credentials. */
export interface SchemaRegistryConnection {
  /** The registry's base URL with any user info removed (safe to print). */
  url: string;
  auth?: RegistryCredentials;
}

/** `basic.auth.credentials.source` of Confluent's clients (SASL_INHERIT does not apply: no Kafka SASL here). */
export const CREDENTIAL_SOURCES = ['URL', 'USER_INFO'] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];

/** The raw settings, as the environment (or a flag) gives them. */
export interface SchemaRegistrySettingValues {
  SCHEMA_REGISTRY_URL?: string;
  SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO?: string;
  SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE?: string;
}

function splitUserInfo(userInfo: string): RegistryCredentials | undefined {
  const colon = userInfo.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: userInfo.slice(0, colon), password: userInfo.slice(colon + 1) };
}

/**
 * The registry connection the way Confluent clients configure it: credentials come from
 * SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO (`user:password`) when the source is USER_INFO, or from the
 * user info of SCHEMA_REGISTRY_URL when it is URL. The source defaults to USER_INFO when that
 * setting is given, else URL. Either way the user info is stripped from the URL, so what is
 * logged or put into errors is the bare address, and credentials travel only as a basic-auth header.
 * Returns the problems (never quoting a secret) instead of throwing, for the caller's one ConfigError.
 */
export function schemaRegistryConnection(values: SchemaRegistrySettingValues): {
  connection?: SchemaRegistryConnection;
  problems: string[];
} {
  const raw = values.SCHEMA_REGISTRY_URL?.trim();
  const userInfo = values.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO?.trim() || undefined;
  const sourceText = values.SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE?.trim().toUpperCase() || undefined;
  const problems: string[] = [];
  if (sourceText !== undefined && !(CREDENTIAL_SOURCES as readonly string[]).includes(sourceText))
    problems.push(
      `  SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE: expected ${CREDENTIAL_SOURCES.join(' or ')}`,
    );
  if (!raw) {
    if (userInfo) problems.push('  SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: needs SCHEMA_REGISTRY_URL');
    return { problems };
  }
  let url: URL;
  try {
    url = new URL(raw);
    if (!/^https?:$/.test(url.protocol)) throw new Error('not http');
  } catch {
    // The value is not echoed: a malformed URL may be malformed exactly where its password is.
    problems.push('  SCHEMA_REGISTRY_URL: expected an http(s) URL, e.g. https://registry:8081');
    return { problems };
  }
  const fromUrl = url.username
    ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
    : undefined;
  url.username = '';
  url.password = '';
  const source: CredentialSource =
    (sourceText as CredentialSource | undefined) ?? (userInfo ? 'USER_INFO' : 'URL');
  let auth: RegistryCredentials | undefined = fromUrl;
  if (source === 'USER_INFO') {
    auth = userInfo ? splitUserInfo(userInfo) : undefined;
    if (!userInfo)
      problems.push(
        '  SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: required when the credentials source is USER_INFO',
      );
    else if (!auth) problems.push('  SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: expected user:password');
  }
  return { connection: { url: url.toString().replace(/\/+$/, ''), auth }, problems };
}

/**
 * For the commands that take the registry URL as a flag (`produce`, `alerts`, `dashboard`): the
 * codec's registry options, or one ConfigError listing the problems.
 */
export function registryCodecOptions(
  url: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { schemaRegistryUrl?: string; schemaRegistryAuth?: RegistryCredentials } {
  const { connection, problems } = schemaRegistryConnection({
    SCHEMA_REGISTRY_URL: url,
    SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO,
    SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE: env.SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE,
  });
  if (problems.length > 0) throw new ConfigError(`invalid schema registry settings:\n${problems.join('\n')}`);
  return { schemaRegistryUrl: connection?.url, schemaRegistryAuth: connection?.auth };
}
