/**
 * The values of one record header: a Buffer, or every value in order when the name repeats (Kafka allows
 * repeated names). A null value is kept as an empty Buffer: kafkajs cannot write a null header back.
 */
export type HeaderValue = Buffer | Buffer[];

/**
 * One consumed Kafka record as it travels through the pipeline. The original key and value
 * bytes stay attached from ingest to egress or the dead-letter queue, so nothing is lost.
 */
export interface Envelope {
  topic: string;
  partition: number;
  /** Kafka offset as a decimal string (kafkajs keeps offsets as strings). */
  offset: string;
  /** Broker timestamp, epoch milliseconds as a string. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Own properties only; header names may be anything, `__proto__` and `constructor` included. */
  headers: Record<string, HeaderValue | undefined>;
}
