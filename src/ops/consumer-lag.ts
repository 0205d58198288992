import type { Admin } from 'kafkajs';
import type { LagSample } from '../telemetry';

/** The two admin calls lag needs (a kafkajs Admin has them). */
export type LagAdmin = Pick<Admin, 'fetchTopicOffsets' | 'fetchOffsets'>;

/**
 * Consumer lag per partition, computed from the broker (high watermark minus the group's committed
 * offset) rather than from the last fetched batch, so it keeps growing when the worker is stuck —
 * the situation the lag alert exists for. A partition with no committed offset counts everything
 * retained (high watermark minus low watermark) as lag.
 */
export function consumerLagSource(
  admin: LagAdmin,
  groupId: string,
  topic: string,
): () => Promise<LagSample[]> {
  return async () => {
    const [watermarks, committed] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const committedByPartition = new Map<number, string>();
    for (const entry of committed.find((item) => item.topic === topic)?.partitions ?? []) {
      committedByPartition.set(entry.partition, entry.offset);
    }
    return watermarks.map((mark) => {
      const high = Number(mark.high);
      const committedOffset = Number(committedByPartition.get(mark.partition) ?? '-1');
      const from = committedOffset >= 0 ? committedOffset : Number(mark.low);
      return { topic, partition: mark.partition, lag: Math.max(0, high - from) };
    });
  };
}
