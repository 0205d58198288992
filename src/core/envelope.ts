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
  headers: Record<string, Buffer | undefined>;
}
