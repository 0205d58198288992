export * from './alert-codec';
export * from './create-codec';
export * from './tweet-codecs';
export * from './tweet-mapping';
export * from './confluent-frame';
export { DEFAULT_MAX_TEXT_BYTES } from './tweet-validation';
export * from './tweet-unclassified-codecs';
export * from './tweet-unclassified-mapping';
export {
  TWEET_SCHEMA_PATH,
  TWEET_EMOTION_SCHEMA_PATH,
  TWEET_UNCLASSIFIED_SCHEMA_PATH,
  loadSchema,
  type LoadedSchema,
} from './schema-files';
