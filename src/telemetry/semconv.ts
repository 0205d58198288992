// Messaging semantic-convention attribute names (https://opentelemetry.io/docs/specs/semconv/messaging/kafka/).
// They are still "incubating" upstream, and OpenTelemetry asks users to copy incubating names rather
// than import the unstable entry point, so they live here.
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';
export const MESSAGING_SYSTEM_KAFKA = 'kafka';

// Our own attributes, namespaced so they never clash with a future convention.
export const ATTR_LINKS_DROPPED = 'emotion_stream.batch.links_dropped';
export const ATTR_ERROR_CODE = 'emotion_stream.error.code';
export const ATTR_ERROR_STAGE = 'emotion_stream.error.stage';
/** Set on the spans of a record run again from the retry queue: the queue's name. */
export const ATTR_RETRY_QUEUE = 'emotion_stream.retry.queue';
/** Set on a message's span by the language gate: the decided language, where it came from, and the outcome. */
export const ATTR_LANGUAGE = 'emotion_stream.language';
export const ATTR_LANGUAGE_SOURCE = 'emotion_stream.language.source';
export const ATTR_LANGUAGE_OUTCOME = 'emotion_stream.language.outcome';
