/** One enriched event ready for the output topic. */
export interface OutputRecord {
  /** The tweet id: the default partitioner hashes it, so one id always lands in one output partition. */
  key: string;
  value: Buffer;
  /** A repeated header name carries every value, in order (as kafkajs writes arrays). */
  headers?: Record<string, Buffer | string | Array<Buffer | string>>;
}
