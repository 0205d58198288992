import type { Kafka, Producer } from 'kafkajs';
import { classifyError } from '../core';
import type { OriginalRecord } from './dead-letter-entry';

export interface OutgoingRecord extends OriginalRecord {
  topic: string;
}

/** Publishes records and resolves only once every one is acknowledged by all in-sync replicas. */
export interface RecordPublisher {
  publish(records: OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** A RecordPublisher on an idempotent kafkajs producer (acks=all, no duplicates from its own retries). */
export class KafkaRecordPublisher implements RecordPublisher {
  private constructor(private readonly producer: Producer) {}

  /** `kafka`: the client to produce with (brokers, TLS, SASL); the publisher owns the producer it makes. */
  static async connect(kafka: Kafka): Promise<KafkaRecordPublisher> {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    try {
      await producer.connect();
    } catch (error) {
      throw classifyError(error, 'produce');
    }
    return new KafkaRecordPublisher(producer);
  }

  async publish(records: OutgoingRecord[]): Promise<void> {
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const record of records) byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record]);
    const topicMessages = [...byTopic].map(([topic, list]) => ({
      topic,
      messages: list.map((record) => ({ key: record.key, value: record.value, headers: record.headers })),
    }));
    try {
      await this.producer.sendBatch({ topicMessages, acks: -1 });
    } catch (error) {
      throw classifyError(error, 'produce');
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
