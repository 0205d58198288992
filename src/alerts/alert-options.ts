import { z } from 'zod';
import { ConfigError } from '../core';

/** One rule per watched label; thresholds default to the detector-wide values below. */
export const spikeRuleSchema = z.object({
  /** The emotion label to watch (one of the model's labels). */
  label: z.string().min(1),
  /**
   * The window's share of the label must be at least this many times its baseline share.
   * @defaultValue 2
   */
  minRatio: z.number().gt(1).default(2),
  /**
   * The window must hold at least this many events of the label, so a quiet stream (3 of 5
   * tweets angry) does not page anyone.
   * @defaultValue 20
   */
  minCount: z.number().int().positive().default(20),
  /**
   * After a rule fires for a (label, group), windows starting less than this long (event time)
   * after the firing window's start stay quiet. Event time, not wall time, so a replay or a
   * second replica makes exactly the same decisions.
   * @defaultValue 600000 (10 minutes)
   */
  cooldownMs: z.number().int().nonnegative().default(600_000),
});

export type SpikeRule = z.output<typeof spikeRuleSchema>;

/** Dimensions alerts can be computed over; `all` is the whole stream (group key null). */
export const groupDimensions = ['all', 'lang', 'hashtag'] as const;
export type GroupDimension = (typeof groupDimensions)[number];

export const spikeDetectorOptionsSchema = z.object({
  /**
   * Size of one tumbling event-time window (by the tweet's created_at).
   * @defaultValue 60000 (1 minute)
   */
  windowMs: z.number().int().positive().default(60_000),
  /**
   * The baseline is the this-many windows before the evaluated one (empty windows count as empty).
   * @defaultValue 15 (with 1-minute windows: a 15-minute baseline)
   */
  baselineWindows: z.number().int().positive().default(15),
  /**
   * How far behind the newest event time an event may arrive and still count: a window closes
   * when the newest event time seen passes its end by this much (the watermark).
   * @defaultValue 30000
   */
  allowedLatenessMs: z.number().int().nonnegative().default(30_000),
  /**
   * An event whose created_at is more than this far ahead of the wall clock (a producer's bad
   * clock, microseconds where milliseconds belong) is counted as skewed and ignored: it would
   * move the watermark into the future and make every real event late.
   * @defaultValue 300000 (5 minutes)
   */
  maxFutureSkewMs: z.number().int().nonnegative().default(300_000),
  /**
   * An event created more than this long before the wall clock (seconds where milliseconds belong
   * reads as January 1970) is counted as skewed and ignored: alerts are about now.
   * @defaultValue 86400000 (1 day)
   */
  maxEventAgeMs: z.number().int().positive().default(86_400_000),
  /**
   * When no event arrives for this long (processing time), the watermark moves on with the clock,
   * so the last window of a burst is evaluated even if the stream goes quiet.
   * @defaultValue 10000
   */
  idleAdvanceMs: z.number().int().positive().default(10_000),
  /**
   * No rule fires until the baseline holds at least this many events of the group: a cold start
   * has nothing to compare against.
   * @defaultValue 50
   */
  minBaselineEvents: z.number().int().nonnegative().default(50),
  /**
   * Floor of the baseline share, so a label never seen before cannot make the ratio infinite.
   * @defaultValue 0.01
   */
  minBaselineShare: z.number().positive().max(1).default(0.01),
  /**
   * Dimensions to alert on: `all` (whole stream), `lang`, `hashtag` (each hashtag of a tweet, lower-cased).
   * @defaultValue ['all']
   */
  groupBy: z.array(z.enum(groupDimensions)).nonempty().default(['all']),
  /**
   * Most groups per dimension and window (hashtags are unbounded); later new groups are not counted.
   * @defaultValue 1000
   */
  maxGroupsPerWindow: z.number().int().positive().default(1000),
  /**
   * Tweet ids kept per label and window as alert samples (the highest-scoring ones).
   * @defaultValue 5
   */
  sampleSize: z.number().int().nonnegative().default(5),
  /**
   * One rule per watched label.
   * @defaultValue anger and fear with the rule defaults
   */
  rules: z
    .array(spikeRuleSchema)
    .nonempty()
    .default([
      { label: 'anger', minRatio: 2, minCount: 20, cooldownMs: 600_000 },
      { label: 'fear', minRatio: 2, minCount: 20, cooldownMs: 600_000 },
    ]),
});

export type SpikeDetectorOptions = z.output<typeof spikeDetectorOptionsSchema>;
export type SpikeDetectorInput = z.input<typeof spikeDetectorOptionsSchema>;

/** Validates once and fills every default; a bad value becomes a ConfigError naming the field. */
export function spikeDetectorOptions(input: SpikeDetectorInput = {}): SpikeDetectorOptions {
  const parsed = spikeDetectorOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`,
    );
    throw new ConfigError(`invalid alert settings: ${issues.join('; ')}`, parsed.error);
  }
  const labels = parsed.data.rules.map((rule) => rule.label);
  if (new Set(labels).size !== labels.length)
    throw new ConfigError(`invalid alert settings: a label has two rules (${labels.join(', ')})`);
  return parsed.data;
}
