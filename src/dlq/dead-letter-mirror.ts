import type { Producer } from 'kafkajs';
import { classifyError } from '../core';
import type { DeadLetterEntry } from './dead-letter-entry';

/** Somewhere every dead letter is copied after it is durable in Redis. */
export interface DeadLetterMirror {
  mirror(entry: DeadLetterEntry): Promise<void>;
}

/**
 * Mirrors each dead letter to a Kafka topic (DLQ_TOPIC) as JSON keyed by the entry id, so other
 * systems can watch failures without Redis. The producer is owned (connected, disconnected) by the caller.
 */
export class KafkaDeadLetterMirror implements DeadLetterMirror {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async mirror(entry: DeadLetterEntry): Promise<void> {
    try {
      await this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: [
          { key: entry.id, value: JSON.stringify(entry), headers: { code: entry.code, stage: entry.stage } },
        ],
      });
    } catch (error) {
      throw classifyError(error, 'produce');
    }
  }
}
