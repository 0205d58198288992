import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { RawAvroSchema } from '@kafkajs/confluent-schema-registry/dist/@types';
import avro from 'avsc';
import {
  ConfigError,
  PoisonMessageError,
  RegistryUnavailableError,
  redactText,
  redactUrl,
  type Stage,
} from '../core';

/** Options of the schema registry client. */
export interface RegistryClientOptions {
  /** Base URL of a Confluent-compatible registry, e.g. http://127.0.0.1:8081 (user info, if any, is never shown). */
  url: string;
  /** Basic-auth credentials, sent as an Authorization header and never put into a message. */
  auth?: { username: string; password: string };
  /**
   * Retries of one HTTP request before it counts as an outage (then the record is retried by the pipeline
   * with its own backoff, so keep this small).
   * @defaultValue 2
   */
  retries?: number;
  /** @defaultValue 'emotion-stream' */
  clientId?: string;
}

interface ResponseErrorShape {
  status?: number;
  message?: string;
}

/** An error's message without credentials (error messages end up in logs and dead letters). */
function messageOf(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}

function statusOf(error: unknown): number | undefined {
  const status = (error as ResponseErrorShape | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

// mappersmith reports a refused connection as status 400 with the socket error in the message; a real 4xx
// answer from a registry carries its own message. Only a definite "not found" is the record's fault.
function isOutage(error: unknown): boolean {
  // The client library's own refusals (e.g. a subject pinned to another compatibility level) are answers.
  if (error instanceof Error && error.name.startsWith('ConfluentSchemaRegistry')) return false;
  const status = statusOf(error);
  if (status === undefined || status >= 500 || status === 408 || status === 429) return true;
  return /ECONN|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|timeout/i.test(
    String((error as Error).message),
  );
}

/**
 * The schema registry as the codec needs it: register a schema under a subject, fetch a writer schema by
 * id. Wraps @kafkajs/confluent-schema-registry, which caches schemas by id and merges concurrent misses.
 */
export class RegistryClient {
  private readonly registry: SchemaRegistry;
  /** The URL as messages show it. */
  private readonly shownUrl: string;

  constructor(options: RegistryClientOptions) {
    this.shownUrl = redactUrl(options.url.replace(/\/+$/, ''));
    this.registry = new SchemaRegistry({
      host: options.url.replace(/\/+$/, ''),
      auth: options.auth,
      clientId: options.clientId ?? 'emotion-stream',
      retry: { retries: options.retries ?? 2, initialRetryTimeInSecs: 0.1, maxRetryTimeInSecs: 2 },
    });
  }

  /** 401/403: the registry's answer to our credentials, not to a record: never poison, always named. */
  private authFailure(error: unknown, what: string, stage?: Stage): RegistryUnavailableError | undefined {
    const status = statusOf(error);
    if (status !== 401 && status !== 403) return undefined;
    const problem = status === 401 ? 'rejected the credentials (401)' : 'denied access (403)';
    return new RegistryUnavailableError(
      `schema registry ${this.shownUrl} ${problem} while ${what}; check SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO (or the URL's user info) and the account's permissions`,
      { stage, cause: error },
    );
  }

  /** Registers (or finds) `schema` under `subject` and returns its id. */
  async register(subject: string, schema: avro.schema.RecordType, stage: Stage): Promise<number> {
    try {
      const { id } = await this.registry.register(schema as unknown as RawAvroSchema, { subject });
      return id;
    } catch (error) {
      const denied = this.authFailure(error, `registering ${subject}`, stage);
      if (denied) throw denied;
      if (isOutage(error)) {
        throw new RegistryUnavailableError(
          `schema registry ${this.shownUrl} unavailable while registering ${subject}: ${messageOf(error)}`,
          {
            stage,
            cause: error,
          },
        );
      }
      throw new ConfigError(
        `schema registry ${this.shownUrl} refused ${subject}: ${messageOf(error)}`,
        error,
      );
    }
  }

  /** The avsc type of the schema registered with `id`; UNKNOWN_SCHEMA_ID poison when the registry has none. */
  async writerType(id: number): Promise<avro.Type> {
    let schema: unknown;
    try {
      schema = await this.registry.getSchema(id);
    } catch (error) {
      const denied = this.authFailure(error, `fetching schema ${id}`);
      if (denied) throw denied;
      if (statusOf(error) === 404) {
        throw new PoisonMessageError('UNKNOWN_SCHEMA_ID', `schema id ${id} is not in the registry`, {
          cause: error,
        });
      }
      if (isOutage(error)) {
        throw new RegistryUnavailableError(
          `schema registry ${this.shownUrl} unavailable while fetching schema ${id}: ${messageOf(error)}`,
          {
            cause: error,
          },
        );
      }
      throw new PoisonMessageError(
        'UNKNOWN_SCHEMA_ID',
        `schema id ${id} cannot be fetched: ${messageOf(error)}`,
        { cause: error },
      );
    }
    if (!avro.Type.isType(schema)) {
      throw new PoisonMessageError('WRONG_SCHEMA', `schema id ${id} is not an Avro schema`);
    }
    return schema as avro.Type;
  }
}
