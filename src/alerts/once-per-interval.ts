import type { Clock } from './clock';

/**
 * Rate limit for a warning that a hostile stream could trigger per record: the first occurrence is
 * reported, the rest are counted and reported with the next occurrence after `intervalMs`.
 */
export class OncePerInterval {
  private lastReportAt: number | null = null;
  private unreported = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly clock: Clock,
  ) {}

  /** Notes one occurrence; returns how many occurred since the last report when one is due, else undefined. */
  note(): number | undefined {
    this.unreported += 1;
    const now = this.clock.now();
    if (this.lastReportAt !== null && now - this.lastReportAt < this.intervalMs) return undefined;
    this.lastReportAt = now;
    const count = this.unreported;
    this.unreported = 0;
    return count;
  }
}
