import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { fromPackageRoot } from '../config/package-root';
import { ConfigError } from '../core';

/** schemas/tweet.avsc: the input record, and the reader schema of every decode. */
export const TWEET_SCHEMA_PATH = fromPackageRoot('schemas', 'tweet.avsc');
/** schemas/tweet-emotion.avsc: the output record. */
export const TWEET_EMOTION_SCHEMA_PATH = fromPackageRoot('schemas', 'tweet-emotion.avsc');
/** schemas/tweet-unclassified.avsc: a tweet not classified because of its language (its own topic). */
export const TWEET_UNCLASSIFIED_SCHEMA_PATH = fromPackageRoot('schemas', 'tweet-unclassified.avsc');

/** A schema file parsed twice over: its JSON (for the registry) and its avsc type (for the bytes). */
export interface LoadedSchema {
  path: string;
  json: avro.schema.RecordType;
  type: avro.Type;
}

/**
 * Reads an .avsc file. Longs stay plain JS numbers (timestamp-millis is epoch ms, offsets stay far below
 * 2^53) and logical types are not mapped to Date, so the TS views keep `createdAt: number`.
 */
export function loadSchema(path: string): LoadedSchema {
  let json: avro.schema.RecordType;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as avro.schema.RecordType;
  } catch (error) {
    throw new ConfigError(`cannot read Avro schema ${path}: ${(error as Error).message}`, error);
  }
  if (json === null || typeof json !== 'object' || json.type !== 'record') {
    throw new ConfigError(`Avro schema ${path} must be a record schema`);
  }
  try {
    return { path, json, type: avro.Type.forSchema(json) };
  } catch (error) {
    throw new ConfigError(`invalid Avro schema ${path}: ${(error as Error).message}`, error);
  }
}
