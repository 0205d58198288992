import type { Producer } from 'kafkajs';
import { classifyError } from '../core';
import type { DeadLetterEntry } from './dead-letter-entry';
import { mirrorMessage } from './mirror-message';

/** Somewhere every dead letter is copied after it is durable in Redis. */
export interface DeadLetterMirror {
  mirror(entry: DeadLetterEntry): Promise<void>;
}

/** The broker's default `message.max.bytes` is 1 048 588; we stay under it with room for framing. */
export const DEFAULT_MIRROR_MAX_BYTES = 1_000_000;

/**
 * Mirrors each dead letter to a Kafka topic (DLQ_TOPIC) as JSON keyed by the entry id, so other
 * systems can watch failures without Redis. A message never exceeds `maxBytes`: an entry too big
 * for it leaves out its original bytes and says so (see mirrorMessage). The producer is owned
 * (connected, disconnected) by the caller.
 */
export class KafkaDeadLetterMirror implements DeadLetterMirror {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly maxBytes: number = DEFAULT_MIRROR_MAX_BYTES,
  ) {}

  async mirror(entry: DeadLetterEntry): Promise<void> {
    const message = mirrorMessage(entry, this.maxBytes);
    try {
      await this.producer.send({ topic: this.topic, acks: -1, messages: [message] });
    } catch (error) {
      throw classifyError(error, 'produce');
    }
  }
}
