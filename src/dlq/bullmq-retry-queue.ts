import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  classifyError,
  EmotionStreamError,
  type DeadLetterFailure,
  type DeadLetterSink,
  type Envelope,
} from '../core';
import { envelopeOf, toDeadLetterEntry, type DeadLetterEntry } from './dead-letter-entry';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../core';
import { redisOperation } from './with-timeout';

/** Re-runs one original record (decode → classify → produce); throws to ask for another attempt. */
export type RetryHandler = (envelope: Envelope, attempt: number) => Promise<void>;

export interface BullmqRetryQueueOptions {
  /** Fail-fast client (createFailFastRedis) for scheduling; not closed by the queue. */
  connection: Redis;
  /** Client with maxRetriesPerRequest null (createBlockingRedis) for the worker; only needed by start(). */
  workerConnection?: Redis;
  /** @defaultValue `emotion-stream-dlq-retry` (`<DLQ_QUEUE>-retry`) */
  queueName?: string;
  /** Attempts in all (those made before scheduling included) and the backoff base. @defaultValue DEFAULT_RETRY_POLICY */
  policy?: RetryPolicy;
  /** Where a message goes after its last attempt, or at once when it turns out to be poison. */
  deadLetters: DeadLetterSink;
  /** Longest a Redis operation may take, ms. @defaultValue 2000 */
  timeoutMs?: number;
  /** Records re-run at the same time by start()'s worker. @defaultValue 1 */
  concurrency?: number;
  /** Called when an attempt failed and another is scheduled, or when a job failed for good. */
  onFailure?: (id: string, error: unknown) => void;
}

type RetryData = Omit<DeadLetterEntry, 'id'>;

// BullMQ's failedReason for a job whose worker died mid-attempt more than maxStalledCount times.
const STALLED_REASON = 'job stalled more than allowable limit';
// Times a job may be found running with no live worker (a process killed mid-attempt) and be re-run.
const MAX_STALLED_COUNT = 5;

export const RETRY_JOB_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;
export type RetryJobState = (typeof RETRY_JOB_STATES)[number];

/** A retry job as `dlq retries` shows it: the entry it carries plus BullMQ's view of it. */
export interface RetryJob extends DeadLetterEntry {
  state: RetryJobState;
  /** Attempts the retry queue has made (the entry's `attempts` counts those before it was queued). */
  attemptsMade: number;
  /** Why the last queued attempt failed, when one did. */
  failedReason: string | null;
}

/**
 * Retries that outlive the process: a failed record is handed to a BullMQ queue (durably, with the
 * original bytes), and a BullMQ Worker re-runs it through a handler with BullMQ's exponential backoff
 * and jitter. After the last attempt — or at once on poison — it is dead-lettered and the job
 * completes, so a record is always either in this queue, in the output, or in the DLQ.
 * Job id = deadLetterId (`topic:partition:offset-fingerprint`), so scheduling the same record twice
 * keeps one job, and a different record at the same coordinates (a recreated topic) is not dropped.
 */
export class BullmqRetryQueue {
  readonly queueName: string;
  private readonly queue: Queue<RetryData>;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private worker: Worker<RetryData> | undefined;
  private closing = false;

  constructor(private readonly options: BullmqRetryQueueOptions) {
    this.queueName = options.queueName ?? 'emotion-stream-dlq-retry';
    this.policy = options.policy ?? DEFAULT_RETRY_POLICY;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.queue = new Queue<RetryData>(this.queueName, { connection: options.connection });
    this.queue.on('error', () => undefined);
  }

  /**
   * Hands a record that failed `attemptsSoFar` times to the queue; resolves once Redis holds it (the
   * caller may then commit its offset). A record with no attempts left is dead-lettered instead.
   */
  async schedule(
    envelope: Envelope,
    error: EmotionStreamError,
    attemptsSoFar: number,
    failure?: DeadLetterFailure,
  ): Promise<void> {
    const remaining = this.policy.maxAttempts - attemptsSoFar;
    if (!error.retriable || remaining <= 0) {
      await this.options.deadLetters.deadLetter(envelope, error, attemptsSoFar, failure);
      return;
    }
    const { id, ...data } = toDeadLetterEntry(envelope, error, attemptsSoFar, failure, Date.now());
    await redisOperation('a retry', this.timeoutMs, () =>
      this.queue.add(data.code, data, {
        jobId: id,
        attempts: remaining,
        delay: this.policy.baseDelayMs,
        backoff: { type: 'exponential', delay: this.policy.baseDelayMs, jitter: 0.5 },
        removeOnComplete: true,
        // A job that could not even be dead-lettered stays visible in `failed` rather than vanishing.
        removeOnFail: false,
      }),
    );
  }

  /**
   * Starts the worker that re-runs scheduled records through `handler`, after dead-lettering the
   * jobs BullMQ failed for stalling (see deadLetterStalledJobs).
   */
  async start(handler: RetryHandler): Promise<void> {
    if (this.worker) return;
    const connection = this.options.workerConnection;
    if (!connection)
      throw new Error('BullmqRetryQueue.start needs options.workerConnection (createBlockingRedis)');
    await this.deadLetterStalledJobs();
    this.worker = new Worker<RetryData>(this.queueName, (job) => this.process(job, handler), {
      connection,
      concurrency: this.options.concurrency ?? 1,
      maxStalledCount: MAX_STALLED_COUNT,
    });
    this.worker.on('error', (error) => this.options.onFailure?.(this.queueName, error));
    this.worker.on('failed', (job, error) => this.options.onFailure?.(String(job?.id), error));
  }

  /** Jobs waiting, delayed (backing off) or running. */
  async pending(): Promise<number> {
    return redisOperation('the retry count', this.timeoutMs, () =>
      this.queue.getJobCountByTypes('waiting', 'delayed', 'active'),
    );
  }

  /** Jobs by state: waiting, delayed (backing off), active (running) and failed (not even dead-lettered). */
  async counts(): Promise<Record<RetryJobState, number>> {
    const counts = await redisOperation('the retry counts', this.timeoutMs, () =>
      this.queue.getJobCounts(...RETRY_JOB_STATES),
    );
    return Object.fromEntries(RETRY_JOB_STATES.map((state) => [state, counts[state] ?? 0])) as Record<
      RetryJobState,
      number
    >;
  }

  /**
   * Jobs of the given states, state by state in the order given, each oldest first; `start`/`end`
   * are inclusive indexes into that sequence (end -1 = all). BullMQ ranges each state on its own,
   * so the range is mapped onto the states by their counts (a job moving meanwhile may be missed or
   * shown twice: this is a view, not a cursor).
   */
  async list(states: readonly RetryJobState[], start = 0, end = -1): Promise<RetryJob[]> {
    const jobs: RetryJob[] = [];
    let stateStart = 0;
    for (const state of states) {
      if (end >= 0 && stateStart > end) break;
      const count = await redisOperation('the retry count', this.timeoutMs, () =>
        this.queue.getJobCountByTypes(state),
      );
      const from = Math.max(start - stateStart, 0);
      const to = end < 0 ? count - 1 : Math.min(end - stateStart, count - 1);
      stateStart += count;
      if (from > to) continue;
      const found = await redisOperation('the retry list', this.timeoutMs, () =>
        this.queue.getJobs([state], from, to, true),
      );
      for (const job of found) {
        if (!job) continue;
        jobs.push({
          ...job.data,
          id: String(job.id),
          state,
          attemptsMade: job.attemptsMade,
          failedReason: job.failedReason || null,
        });
      }
    }
    return jobs;
  }

  /**
   * A job whose worker died mid-attempt more than MAX_STALLED_COUNT times is moved to `failed` by
   * BullMQ itself, never reaching process(): its record would then live only in this queue while its
   * offset is long committed. Each start moves such jobs to the dead-letter queue (original bytes,
   * their last error code) and removes them. Returns how many it moved.
   */
  async deadLetterStalledJobs(pageSize = 500): Promise<number> {
    let moved = 0;
    for (let start = 0; ; start += pageSize) {
      const jobs = await redisOperation('the failed retry jobs', this.timeoutMs, () =>
        this.queue.getFailed(start, start + pageSize - 1),
      );
      if (jobs.length === 0) return moved;
      for (const job of jobs) {
        if (!job || job.failedReason !== STALLED_REASON) continue;
        const entry: DeadLetterEntry = { id: String(job.id), ...job.data };
        const error = new EmotionStreamError(
          `${entry.message} (its retry was interrupted: the process running it stopped mid-attempt more than ${MAX_STALLED_COUNT} times)`,
          { code: entry.code, stage: entry.stage, retriable: entry.retriable },
        );
        await this.deadLetterDurably(envelopeOf(entry), error, entry.attempts + job.attemptsMade, {
          firstFailedAt: Date.parse(entry.firstFailedAt),
        });
        await redisOperation('a stalled retry job', this.timeoutMs, () => job.remove());
        moved += 1;
        start -= 1; // the page shifted down by the removed job
      }
    }
  }

  /** Stops the worker (letting a running attempt finish) and the queue. */
  async close(): Promise<void> {
    this.closing = true;
    // Each cleanup in its own try so one failure does not leave the other open.
    try {
      await this.worker?.close();
    } finally {
      await this.queue.close();
    }
  }

  /** Deletes the queue and its jobs (tests, `dlq purge`). */
  async obliterate(): Promise<void> {
    await redisOperation('the retry purge', Math.max(this.timeoutMs, 30_000), () =>
      this.queue.obliterate({ force: true }),
    );
  }

  private async process(job: Job<RetryData>, handler: RetryHandler): Promise<void> {
    const entry: DeadLetterEntry = { id: String(job.id), ...job.data };
    const envelope = envelopeOf(entry);
    const attempt = entry.attempts + job.attemptsMade + 1;
    try {
      await handler(envelope, attempt);
    } catch (raw) {
      const error = classifyError(raw, entry.stage);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (error.retriable && !lastAttempt) throw error;
      await this.deadLetterDurably(envelope, error, attempt, {
        firstFailedAt: Date.parse(entry.firstFailedAt),
      });
    }
  }

  /**
   * BullMQ has no attempts left for this job, so a failed dead-letter write would leave the record
   * only in this queue's `failed` set: keep trying a while (the DLQ lives in the same Redis, so an
   * outage usually ends both), and only then let the job fail, where it stays visible.
   */
  private async deadLetterDurably(
    envelope: Envelope,
    error: EmotionStreamError,
    attempts: number,
    failure: DeadLetterFailure,
  ): Promise<void> {
    for (let tries = 1; ; tries += 1) {
      try {
        await this.options.deadLetters.deadLetter(envelope, error, attempts, failure);
        return;
      } catch (writeError) {
        if (this.closing || tries >= DEAD_LETTER_TRIES) throw writeError;
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** tries, 5_000)));
      }
    }
  }
}

const DEAD_LETTER_TRIES = 10;
