import type { EmotionAlert } from '../core';
import type { SpikeDetectorOptions, SpikeRule } from './alert-options';
import type { GroupCounts, WindowBucket } from './window-bucket';
import { alertId } from './group-key';

/** A label's counts over the baseline windows of one group. */
export interface Baseline {
  start: number;
  total: number;
  count: number;
}

/** Sums the group's counts over the closed windows in [start, windowStart); missing windows are empty. */
export function baselineOf(
  history: Iterable<WindowBucket>,
  groupKey: string,
  label: string,
  start: number,
  windowStart: number,
): Baseline {
  let total = 0;
  let count = 0;
  for (const bucket of history) {
    if (bucket.start < start || bucket.start >= windowStart) continue;
    const counts = bucket.groups.get(groupKey);
    if (!counts) continue;
    total += counts.total;
    count += counts.byLabel.get(label) ?? 0;
  }
  return { start, total, count };
}

/**
 * The rule fires when the window holds at least minCount events of the label AND the label's
 * share of the window is at least minRatio times its share of the baseline. Both conditions are
 * needed: the ratio alone fires on tiny windows, the count alone fires on busy but normal ones.
 * Returns null when it does not fire (cooldown is the caller's business).
 */
export function evaluateRule(
  rule: SpikeRule,
  options: Pick<SpikeDetectorOptions, 'windowMs' | 'minBaselineEvents' | 'minBaselineShare'>,
  windowStart: number,
  counts: GroupCounts,
  baseline: Baseline,
  detectedAt: number,
): EmotionAlert | null {
  const count = counts.byLabel.get(rule.label) ?? 0;
  if (count < rule.minCount || counts.total === 0) return null;
  if (baseline.total < options.minBaselineEvents || baseline.total === 0) return null;
  const share = count / counts.total;
  const baselineShare = Math.max(baseline.count / baseline.total, options.minBaselineShare);
  const ratio = share / baselineShare;
  if (ratio < rule.minRatio) return null;
  return {
    id: alertId(rule.label, counts.group, windowStart),
    label: rule.label,
    groupBy: counts.group.dimension === 'all' ? null : counts.group.dimension,
    groupKey: counts.group.key,
    windowStart,
    windowEnd: windowStart + options.windowMs,
    count,
    total: counts.total,
    share,
    baselineShare,
    baselineTotal: baseline.total,
    baselineStart: baseline.start,
    ratio,
    minRatio: rule.minRatio,
    minCount: rule.minCount,
    sampleTweetIds: (counts.samples.get(rule.label) ?? []).map((sample) => sample.id),
    detectedAt,
  };
}
