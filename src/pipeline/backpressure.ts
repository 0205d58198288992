/**
 * The classifier's "my queue is full" signal. The worker stops feeding a partition while it is
 * saturated and resumes when it drains; the adapter over the real classifier lives in main.ts.
 */
export interface Backpressure {
  isSaturated(): boolean;
  /** Resolves once the queue has room again (at once when it has room now). */
  whenDrained(): Promise<void>;
}
