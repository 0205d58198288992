import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';

/**
 * Reads a (small) topic from the beginning up to its current end, with a throw-away group that
 * commits nothing. Used for the alert topic, which holds a few records per spike.
 */
export async function readTopicToEnd<T>(
  kafka: Kafka,
  topic: string,
  decode: (value: Buffer) => T,
  groupPrefix: string,
): Promise<T[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(
      offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]),
    );
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];
  const consumer = kafka.consumer({ groupId: `${groupPrefix}-${randomUUID().slice(0, 8)}` });
  const values: T[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const done = new Set<number>();
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (message.value) {
              try {
                values.push(decode(message.value));
              } catch {
                // A record that is not an alert cannot be a duplicate of one: skip it.
              }
            }
            const end = ends.get(partition);
            if (end !== undefined && BigInt(message.offset) + 1n >= end) done.add(partition);
            if (done.size === ends.size) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}
