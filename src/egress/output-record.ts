/** One record ready for Kafka: an enriched event for the output topic, or a not-classified one for the unclassified topic. */
export interface OutputRecord {
  /** Where it goes: the output topic or the unclassified topic. One send or transaction may carry both. */
  topic: string;
  /** The tweet id: the default partitioner hashes it, so one id always lands in one partition of a topic. */
  key: string;
  value: Buffer;
  /** A repeated header name carries every value, in order (as kafkajs writes arrays). */
  headers?: Record<string, Buffer | string | Array<Buffer | string>>;
}
