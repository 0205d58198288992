import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { METRIC_PREFIX, readinessGauges } from './metrics';

/** What the alerts service counts (its `stats()`), read at every scrape. */
export interface AlertsStatsSnapshot {
  /** Events counted into windows. */
  accepted: number;
  /** Events dropped because their window had closed. */
  late: number;
  /** Records of the output topic that did not decode. */
  decodeErrors: number;
  /** Firings held back by a rule's cooldown. */
  suppressed: number;
  /** Events ignored because created_at was outside the clock-skew window, by reason. */
  skewed: { future: number; past: number; invalid: number };
  /** Alerts acknowledged by the alert topic. */
  published: number;
  pendingAlerts: number;
  openWindows: number;
  /** Event time (ms) up to which windows are closed; null before the first event. */
  watermark: number | null;
  /** This replica holds the partitions (the others of the single-active group wait). */
  active: boolean;
}

/** Options of {@link AlertsMetrics}. */
export interface AlertsMetricsOptions {
  /** @defaultValue a new Registry (never prom-client's global one) */
  registry?: Registry;
  /** Also collect prom-client's process and Node.js metrics. @defaultValue true */
  defaultMetrics?: boolean;
}

/**
 * Prometheus metrics of `emotion-stream alerts`, computed from its stats at scrape time (the
 * service keeps counting either way), in the shape the ops server serves: `/metrics`, and the
 * `ready` gauges its `/readyz` updates.
 */
export class AlertsMetrics {
  readonly registry: Registry;
  readonly ready: Gauge<never>;
  readonly readinessCheck: Gauge<'check'>;

  constructor(stats: () => AlertsStatsSnapshot, options: AlertsMetricsOptions = {}) {
    const registry = options.registry ?? new Registry();
    this.registry = registry;
    const registers = [registry];
    // The service keeps monotonic counts; each scrape re-reads them (reset, then inc to the count).
    new Counter({
      name: `${METRIC_PREFIX}alerts_events_total`,
      help: 'Enriched events read by the alerts service, by outcome: accepted (counted), late (window closed), undecodable.',
      labelNames: ['outcome'],
      registers,
      collect() {
        const s = stats();
        this.reset();
        this.inc({ outcome: 'accepted' }, s.accepted);
        this.inc({ outcome: 'late' }, s.late);
        this.inc({ outcome: 'undecodable' }, s.decodeErrors);
      },
    });
    new Counter({
      name: `${METRIC_PREFIX}alerts_clock_skew_total`,
      help: 'Events ignored because their created_at is outside the clock-skew window (ALERT_MAX_CLOCK_SKEW_MS ahead, ALERT_MAX_EVENT_AGE_MS behind the wall clock, or not a time), by reason: future, past, invalid.',
      labelNames: ['reason'],
      registers,
      collect() {
        const { skewed } = stats();
        this.reset();
        for (const reason of ['future', 'past', 'invalid'] as const) this.inc({ reason }, skewed[reason]);
      },
    });
    const count = (name: string, help: string, read: (s: AlertsStatsSnapshot) => number) =>
      new Counter({
        name: `${METRIC_PREFIX}alerts_${name}`,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read(stats()));
        },
      });
    const gauge = (name: string, help: string, read: (s: AlertsStatsSnapshot) => number) =>
      new Gauge({
        name: `${METRIC_PREFIX}alerts_${name}`,
        help,
        registers,
        collect() {
          this.set(read(stats()));
        },
      });
    count('published_total', 'Spike alerts acknowledged by the alert topic.', (s) => s.published);
    count('suppressed_total', "Firings held back by a rule's cooldown.", (s) => s.suppressed);
    gauge('open_windows', 'Event-time windows still open (per label and group).', (s) => s.openWindows);
    gauge('pending', 'Alerts fired but not yet acknowledged by the alert topic.', (s) => s.pendingAlerts);
    gauge(
      'watermark_seconds',
      'Event time (Unix seconds) up to which windows are closed; 0 before the first event. Alert on it standing still.',
      (s) => (s.watermark ?? 0) / 1000,
    );
    gauge(
      'active',
      '1 when this replica holds the partitions and evaluates the rules; 0 while it waits as a standby.',
      (s) => (s.active ? 1 : 0),
    );
    ({ ready: this.ready, readinessCheck: this.readinessCheck } = readinessGauges(registers));
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  }

  /** The Prometheus text exposition of every metric, with its content type. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
