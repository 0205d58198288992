// TypeScript view of schemas/emotion-alert.avsc (the schema is the source of truth). It lives in
// core because both the alerts stage (producer) and the dashboard (consumer) speak it.

/**
 * Retention of the alert topic when alerts or the dashboard create it: 7 days. A replica taking over
 * reads the whole alert topic into its ledger, so it must stay small; a week of alerts is a few
 * thousand records.
 */
export const ALERT_RETENTION_MS = 7 * 24 * 3_600_000;

/** A spike of one watched emotion label in one event-time window (schemas/emotion-alert.avsc). */
export interface EmotionAlert {
  /** Deterministic: `<label>[<groupBy>=<groupKey>]@<window start ISO>`; the same spike gets the same id everywhere. */
  id: string;
  label: string;
  groupBy: string | null;
  groupKey: string | null;
  /** Epoch ms, inclusive. */
  windowStart: number;
  /** Epoch ms, exclusive. */
  windowEnd: number;
  count: number;
  total: number;
  share: number;
  baselineShare: number;
  baselineTotal: number;
  baselineStart: number;
  ratio: number;
  minRatio: number;
  minCount: number;
  sampleTweetIds: string[];
  detectedAt: number;
}
