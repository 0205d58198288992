import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { kafkaBrokers, uniqueName } from './services';

export interface ReadRecord {
  partition: number;
  offset: string;
  /** Broker timestamp, epoch ms as a string. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

/**
 * Reads a topic from the beginning with a throwaway consumer group until `count` records arrived
 * (or, with `idleMs`, until nothing new came for that long), then returns them.
 */
export async function readTopic(
  topic: string,
  count: number,
  options: { timeoutMs?: number } = {},
): Promise<ReadRecord[]> {
  const kafka = new Kafka({ clientId: 'test-reader', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: uniqueName('test-reader'),
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
          partition,
          offset: message.offset,
          timestamp: message.timestamp,
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
        });
      },
    });
    const deadline = Date.now() + (options.timeoutMs ?? 45_000);
    while (records.length < count) {
      if (Date.now() > deadline)
        throw new Error(`read ${records.length} of ${count} records from ${topic} before timing out`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return records;
  } finally {
    await consumer.disconnect();
  }
}
