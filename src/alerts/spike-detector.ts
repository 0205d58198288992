import type { EmotionAlert } from '../core';
import type { SpikeDetectorInput, SpikeDetectorOptions } from './alert-options';
import { spikeDetectorOptions } from './alert-options';
import type { Clock } from './clock';
import { groupId, groupsOf } from './group-key';
import type { ObservedEmotion } from './observed-emotion';
import { baselineOf, evaluateRule } from './rule-evaluation';
import { WindowBucket } from './window-bucket';

/** Why an event's time was not believed (see maxFutureSkewMs, maxEventAgeMs). */
export type ClockSkewReason = 'future' | 'past' | 'invalid';
export type ObserveOutcome = 'accepted' | 'late' | ClockSkewReason;

export interface SpikeDetectorStats {
  /** Events counted so far. */
  accepted: number;
  /** Events dropped because their window had already closed (older than the allowed lateness). */
  late: number;
  /** Firings held back by a rule's cooldown. */
  suppressed: number;
  /** Events ignored because their created_at is outside the skew window, by reason. */
  skewed: Record<ClockSkewReason, number>;
  openWindows: number;
  /** Event time up to which windows are closed; null before the first event. */
  watermark: number | null;
}

/**
 * Tumbling event-time windows over the enriched stream and the spike rules evaluated on each
 * window as it closes. Pure and synchronous: time comes from the events and the injected clock,
 * so the same input in the same order gives the same alerts (tests, replays, standby replicas).
 */
export class SpikeDetector {
  readonly options: SpikeDetectorOptions;
  private readonly open = new Map<number, WindowBucket>();
  /** Closed windows still needed as someone's baseline. */
  private readonly history = new Map<number, WindowBucket>();
  /** Window start of the last firing per label and group, for the cooldown. */
  private readonly lastFired = new Map<string, number>();
  /** Per source (a Kafka partition): newest event time and when it last delivered, for the watermark. */
  private readonly sources = new Map<string, { maxEventTime: number | null; lastArrivalAt: number }>();
  private watermark: number | null = null;
  /** Windows starting before this are closed; their late events are dropped. */
  private closedBefore: number | null = null;
  private counters = { accepted: 0, late: 0, suppressed: 0 };
  private skewed: Record<ClockSkewReason, number> = { future: 0, past: 0, invalid: 0 };

  constructor(
    options: SpikeDetectorInput | SpikeDetectorOptions,
    private readonly clock: Clock,
  ) {
    this.options = spikeDetectorOptions(options);
  }

  /** @param source where the event came from (a partition); the watermark is the slowest live source's. */
  observe(event: ObservedEmotion, source = 'default'): ObserveOutcome {
    const { windowMs } = this.options;
    // Checked before the source is touched: a partition delivering only unbelievable times must
    // neither move the watermark nor count as a live source that holds it back.
    const now = this.clock.now();
    const skew = this.skewOf(event.createdAt, now);
    if (skew) {
      this.skewed[skew] += 1;
      return skew;
    }
    const start = Math.floor(event.createdAt / windowMs) * windowMs;
    const state = this.sources.get(source) ?? { maxEventTime: null, lastArrivalAt: 0 };
    state.lastArrivalAt = now;
    this.sources.set(source, state);
    if (this.closedBefore !== null && start < this.closedBefore) {
      this.counters.late += 1;
      return 'late';
    }
    let bucket = this.open.get(start);
    if (!bucket) {
      bucket = new WindowBucket(start, this.options.maxGroupsPerWindow, this.options.sampleSize);
      this.open.set(start, bucket);
    }
    for (const group of groupsOf(event, this.options.groupBy)) {
      bucket.add(group, event.emotion.label, { id: event.id, score: event.emotion.score });
    }
    state.maxEventTime =
      state.maxEventTime === null ? event.createdAt : Math.max(state.maxEventTime, event.createdAt);
    this.counters.accepted += 1;
    return 'accepted';
  }

  /**
   * Moves the watermark, closes every window it passed (oldest first) and returns their alerts.
   * @param behind sources known to hold records not observed yet (a partition whose consumer
   *   position is below its log end): they hold the watermark back however long they have been
   *   silent, and one that has delivered nothing yet stops it, so a replay or a burst that lands
   *   on several partitions is not cut into "late" events by the partition fetched first.
   */
  advance(behind: ReadonlySet<string> = new Set()): EmotionAlert[] {
    const now = this.clock.now();
    for (const source of behind) if (!this.sources.has(source)) return [];
    const base = this.eventTimeReached(now, behind);
    if (base === null) return [];
    const candidate = base - this.options.allowedLatenessMs;
    this.watermark = this.watermark === null ? candidate : Math.max(this.watermark, candidate);
    const { windowMs } = this.options;
    const alerts: EmotionAlert[] = [];
    const closable = [...this.open.keys()]
      .filter((start) => start + windowMs <= (this.watermark as number))
      .sort((a, b) => a - b);
    for (const start of closable) {
      const bucket = this.open.get(start) as WindowBucket;
      this.open.delete(start);
      alerts.push(...this.close(bucket, now));
    }
    const boundary = Math.floor(this.watermark / windowMs) * windowMs;
    this.closedBefore = this.closedBefore === null ? boundary : Math.max(this.closedBefore, boundary);
    return alerts;
  }

  /**
   * Event time all live sources have reached: the slowest live source's newest event. A source
   * idle for idleAdvanceMs (and not known to be behind) stops holding the others back; when all are idle, processing time that
   * passed counts as event time that passed, so a quiet stream's last window still closes.
   */
  private eventTimeReached(now: number, behind: ReadonlySet<string>): number | null {
    const all = [...this.sources.values()];
    const live = [...this.sources]
      .filter(([id, source]) => behind.has(id) || now - source.lastArrivalAt < this.options.idleAdvanceMs)
      .map(([, source]) => source);
    if (live.length > 0) {
      if (live.some((source) => source.maxEventTime === null)) return null;
      return Math.min(...live.map((source) => source.maxEventTime as number));
    }
    const seen = all.filter((source) => source.maxEventTime !== null);
    if (seen.length === 0) return null;
    const newest = Math.max(...seen.map((source) => source.maxEventTime as number));
    const lastArrival = Math.max(...all.map((source) => source.lastArrivalAt));
    return newest + (now - lastArrival);
  }

  stats(): SpikeDetectorStats {
    return {
      ...this.counters,
      skewed: { ...this.skewed },
      openWindows: this.open.size,
      watermark: this.watermark,
    };
  }

  /** Whether an event time is too far from the wall clock to be believed, and which way. */
  private skewOf(createdAt: number, now: number): ClockSkewReason | undefined {
    if (!Number.isSafeInteger(createdAt)) return 'invalid';
    if (createdAt > now + this.options.maxFutureSkewMs) return 'future';
    if (createdAt < now - this.options.maxEventAgeMs) return 'past';
    return undefined;
  }

  private close(bucket: WindowBucket, now: number): EmotionAlert[] {
    const { windowMs, baselineWindows } = this.options;
    const baselineStart = bucket.start - baselineWindows * windowMs;
    const alerts: EmotionAlert[] = [];
    const groupIds = [...bucket.groups.keys()].sort();
    for (const id of groupIds) {
      const counts = bucket.groups.get(id)!;
      for (const rule of this.options.rules) {
        const baseline = baselineOf(this.history.values(), id, rule.label, baselineStart, bucket.start);
        const alert = evaluateRule(rule, this.options, bucket.start, counts, baseline, now);
        if (!alert) continue;
        const cooldownKey = `${rule.label}\u0002${groupId(counts.group)}`;
        const last = this.lastFired.get(cooldownKey);
        if (last !== undefined && bucket.start < last + rule.cooldownMs) {
          this.counters.suppressed += 1;
          continue;
        }
        this.lastFired.set(cooldownKey, bucket.start);
        alerts.push(alert);
      }
    }
    this.history.set(bucket.start, bucket);
    this.evict(bucket.start);
    return alerts;
  }

  /** Drops history no later window can use as baseline, and cooldowns that have run out. */
  private evict(closedStart: number): void {
    const { windowMs, baselineWindows } = this.options;
    const oldestNeeded = closedStart + windowMs - baselineWindows * windowMs;
    for (const start of this.history.keys()) if (start < oldestNeeded) this.history.delete(start);
    const longestCooldown = Math.max(...this.options.rules.map((rule) => rule.cooldownMs));
    for (const [key, start] of this.lastFired)
      if (start + longestCooldown <= closedStart) this.lastFired.delete(key);
  }
}
