/** One enriched event ready for the output topic. */
export interface OutputRecord {
  /** The tweet id: the default partitioner hashes it, so one id always lands in one output partition. */
  key: string;
  value: Buffer;
  headers?: Record<string, Buffer | string>;
}
