import { performance } from 'node:perf_hooks';
import type { Consumer, Kafka } from 'kafkajs';

/** Wall clock with sub-millisecond resolution, epoch ms (the same clock as Kafka's timestamps). */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

/**
 * What happened to the tweets of one benchmark phase. Tweet ids are `<phase>-<seq>`; everything is
 * kept in arrays sized up front (indexed by seq), so a long run does not grow the harness's memory
 * and the RSS trend belongs to the worker.
 */
export class PhaseRecord {
  /** Epoch ms the harness stamped on the input record (its Kafka timestamp) just before sending it. */
  readonly sentAt: Float64Array;
  /** Epoch ms the schedule said it should be sent (paced phase), for a coordinated-omission check. */
  readonly dueAt: Float64Array;
  /** Epoch ms the harness's output consumer received its output record; 0 = not yet. */
  readonly receivedAt: Float64Array;
  /** The output record's Kafka timestamp: when the worker's producer sent it. */
  readonly outputStamp: Float64Array;
  received = 0;
  duplicates = 0;
  /** Receive time of the first output and how many arrived in that same fetch. */
  firstAt = 0;
  firstFetchCount = 0;
  lastAt = 0;

  constructor(
    readonly name: string,
    readonly capacity: number,
  ) {
    this.sentAt = new Float64Array(capacity);
    this.dueAt = new Float64Array(capacity);
    this.receivedAt = new Float64Array(capacity);
    this.outputStamp = new Float64Array(capacity);
    // Touch every page now: untouched zero pages would be committed one by one as the run fills them,
    // which shows up as a slow RSS climb (~1.6 MiB/min at 870 tweets/s) that is the harness's, not the worker's.
    for (const array of [this.sentAt, this.dueAt, this.receivedAt, this.outputStamp]) array.fill(1).fill(0);
  }

  idOf(seq: number): string {
    return `${this.name}-${seq}`;
  }
}

/**
 * Reads the output topic from the beginning (keys and timestamps only — no Avro decode, so the
 * harness takes as little CPU from the worker as possible) and records each phase's arrivals.
 */
export class OutputTracker {
  private readonly phases = new Map<string, PhaseRecord>();
  private consumer: Consumer | undefined;
  /** Keys that belong to no phase or lie outside it (should stay 0). */
  unknown = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly groupId: string,
  ) {}

  phase(name: string, capacity: number): PhaseRecord {
    const record = new PhaseRecord(name, capacity);
    this.phases.set(name, record);
    return record;
  }

  /** Joins its own group on the output topic and resolves once partitions are assigned. */
  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      readUncommitted: true,
      maxWaitTimeInMs: 100,
      minBytes: 1,
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch }) => {
        const now = wallClockMs();
        const counted = new Set<PhaseRecord>();
        for (const message of batch.messages) {
          const key = message.key?.toString() ?? '';
          const dash = key.lastIndexOf('-');
          const record = this.phases.get(key.slice(0, dash));
          const seq = Number(key.slice(dash + 1));
          if (!record || !Number.isInteger(seq) || seq < 0 || seq >= record.capacity) {
            this.unknown += 1;
            continue;
          }
          if (record.receivedAt[seq] !== 0) {
            record.duplicates += 1;
            continue;
          }
          record.receivedAt[seq] = now;
          record.outputStamp[seq] = Number(message.timestamp);
          record.received += 1;
          record.lastAt = now;
          if (record.firstAt === 0) record.firstAt = now;
          if (record.firstAt === now) counted.add(record);
        }
        for (const record of counted) record.firstFetchCount = record.received;
      },
    });
    await joined;
  }

  async waitFor(
    record: PhaseRecord,
    count: number,
    timeoutMs: number,
    onProgress?: (have: number) => void,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastReport = 0;
    while (record.received < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${count} outputs of phase ${record.name} (have ${record.received})`,
        );
      }
      if (onProgress && Date.now() - lastReport > 2_000) {
        lastReport = Date.now();
        onProgress(record.received);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
