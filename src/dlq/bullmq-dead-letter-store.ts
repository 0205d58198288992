import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  classifyError,
  type DeadLetterFailure,
  type DeadLetterSink,
  type EmotionStreamError,
  type Envelope,
} from '../core';
import { toDeadLetterEntry, type DeadLetterEntry } from './dead-letter-entry';
import type { DeadLetterMirror } from './dead-letter-mirror';
import { redisOperation } from './with-timeout';

export interface BullmqDeadLetterStoreOptions {
  /** A client from createFailFastRedis(); the store does not close it. */
  connection: Redis;
  /** BullMQ queue name. @defaultValue `emotion-stream-dlq` */
  queueName?: string;
  /** Longest a Redis operation may take before it rejects with REDIS_UNAVAILABLE, ms. @defaultValue 2000 */
  timeoutMs?: number;
  /** Optional copy of every dead letter (e.g. a Kafka topic); written after Redis acknowledged. */
  mirror?: DeadLetterMirror;
  /**
   * How long an unreachable mirror may hold a dead letter (and so its partition) before the store
   * gives up on copying that entry, ms. A mirror that refuses the message outright is given up at once.
   * @defaultValue 60000
   */
  mirrorGiveUpMs?: number;
  /** Told about each entry the mirror gave up on (the entry itself is safe in Redis). */
  onMirrorFailure?: (entry: DeadLetterEntry, error: EmotionStreamError) => void;
  /** Clock, for tests. @defaultValue Date.now */
  now?: () => number;
}

type EntryData = Omit<DeadLetterEntry, 'id'>;
// Jobs of a queue no worker consumes stay in its `wait` list (BullMQ 6 keeps paused jobs there too).
const storedState = 'waiting' as const;

/**
 * The dead-letter queue: a BullMQ queue used as a durable store. Entries are jobs that no worker
 * ever processes (nothing in emotion-stream starts a Worker on this queue), so they stay until
 * `dlq replay` or `dlq purge` removes them; BullMQ gives them ids, ordering, counts and its tooling.
 * Job name = error code; job id = `topic:partition:offset-fingerprint` (deadLetterId), so adding the
 * same record twice (a crash replays it) keeps one entry — the first — while another record at the
 * same coordinates (a recreated topic) gets its own.
 *
 * The mirror is a copy, Redis the record: while the mirror is unreachable the entry's write fails
 * (the pipeline holds the partition and tries again, so the copy is not silently skipped over a
 * blip), but never for longer than `mirrorGiveUpMs`, and a message the broker refuses (too large,
 * not authorised) is not retried at all — either way `onMirrorFailure` hears of it and the write
 * succeeds. A mirror can so delay a partition, never stall it forever.
 */
export class BullmqDeadLetterStore implements DeadLetterSink {
  readonly queueName: string;
  private readonly queue: Queue<EntryData>;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  /** Entry id -> when mirroring it first failed (only entries whose mirror is failing right now). */
  private readonly mirrorFailingSince = new Map<string, number>();

  constructor(private readonly options: BullmqDeadLetterStoreOptions) {
    this.queueName = options.queueName ?? 'emotion-stream-dlq';
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.now = options.now ?? Date.now;
    this.queue = new Queue<EntryData>(this.queueName, { connection: options.connection });
    // Connection errors also reject the operation that met them; without a listener BullMQ would throw them.
    this.queue.on('error', () => undefined);
  }

  /** Resolves once Redis acknowledged the entry (and the mirror, if any, accepted it). */
  async deadLetter(
    envelope: Envelope,
    error: EmotionStreamError,
    attempts: number,
    failure?: DeadLetterFailure,
  ): Promise<void> {
    await this.add(toDeadLetterEntry(envelope, error, attempts, failure, this.now()));
  }

  async add(entry: DeadLetterEntry): Promise<void> {
    const { id, ...data } = entry;
    await redisOperation('a dead letter', this.timeoutMs, () =>
      this.queue.add(data.code, data, { jobId: id }),
    );
    if (this.options.mirror) await this.mirrorEntry(this.options.mirror, entry);
  }

  private async mirrorEntry(mirror: DeadLetterMirror, entry: DeadLetterEntry): Promise<void> {
    try {
      await mirror.mirror(entry);
      this.mirrorFailingSince.delete(entry.id);
    } catch (raw) {
      const error = classifyError(raw, 'produce');
      const now = this.now();
      const since = this.mirrorFailingSince.get(entry.id) ?? now;
      const outage = error.code === 'KAFKA_UNAVAILABLE';
      if (outage && now - since < (this.options.mirrorGiveUpMs ?? 60_000)) {
        // Bounded: a stuck partition's entries are few; forget all rather than grow without end.
        if (this.mirrorFailingSince.size >= 10_000) this.mirrorFailingSince.clear();
        this.mirrorFailingSince.set(entry.id, since);
        throw error;
      }
      this.mirrorFailingSince.delete(entry.id);
      this.options.onMirrorFailure?.(entry, error);
    }
  }

  /** Entries oldest first; `start`/`end` are inclusive indexes (end -1 = all). */
  async list(start = 0, end = -1): Promise<DeadLetterEntry[]> {
    const jobs = await redisOperation('the dead-letter list', this.timeoutMs, () =>
      this.queue.getJobs(storedState, start, end, true),
    );
    return jobs.filter((job): job is Job<EntryData> => job !== undefined && job !== null).map(entryOf);
  }

  async get(id: string): Promise<DeadLetterEntry | undefined> {
    const job = await redisOperation('a dead-letter lookup', this.timeoutMs, () => this.queue.getJob(id));
    return job ? entryOf(job) : undefined;
  }

  /** Removes one entry; false when there was none with that id. */
  async remove(id: string): Promise<boolean> {
    // BullMQ's removeJob answers 1 whether or not the job existed, so look first.
    const job = await redisOperation('a dead-letter lookup', this.timeoutMs, () => this.queue.getJob(id));
    if (!job) return false;
    await redisOperation('a dead-letter removal', this.timeoutMs, () => this.queue.remove(id));
    return true;
  }

  async count(): Promise<number> {
    return redisOperation('the dead-letter count', this.timeoutMs, () =>
      this.queue.getJobCountByTypes(storedState),
    );
  }

  /** Deletes every entry and the queue's keys; returns how many entries there were. */
  async purge(): Promise<number> {
    const count = await this.count();
    await redisOperation('the dead-letter purge', Math.max(this.timeoutMs, 30_000), () =>
      this.queue.obliterate({ force: true }),
    );
    return count;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

function entryOf(job: Job<EntryData>): DeadLetterEntry {
  return { id: String(job.id), ...job.data };
}
