import type { EmotionAlert } from '../core';

/**
 * Ids of alerts already on the alert topic. Alert ids are deterministic (label, group, window),
 * so "was this spike published?" has a yes/no answer: a replica taking over replays the recent
 * stream, recomputes recent alerts and publishes only those the ledger does not hold.
 */
export class AlertLedger {
  /** id -> window start */
  private readonly seen = new Map<string, number>();

  /** @param horizonMs how far back (event time, from the newest window seen) ids are kept. */
  constructor(private readonly horizonMs: number) {}

  has(id: string): boolean {
    return this.seen.has(id);
  }

  add(alert: Pick<EmotionAlert, 'id' | 'windowStart'>): void {
    this.seen.set(alert.id, alert.windowStart);
    const oldest = alert.windowStart - this.horizonMs;
    for (const [id, start] of this.seen) if (start < oldest) this.seen.delete(id);
  }

  get size(): number {
    return this.seen.size;
  }
}
