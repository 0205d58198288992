import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { METRIC_PREFIX } from './metrics';

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
      name: `${METRIC_PREFIX}alerts_published_total`,
      help: 'Spike alerts acknowledged by the alert topic.',
      registers,
      collect() {
        this.reset();
        this.inc(stats().published);
      },
    });
    new Counter({
      name: `${METRIC_PREFIX}alerts_suppressed_total`,
      help: "Firings held back by a rule's cooldown.",
      registers,
      collect() {
        this.reset();
        this.inc(stats().suppressed);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}alerts_open_windows`,
      help: 'Event-time windows still open (per label and group).',
      registers,
      collect() {
        this.set(stats().openWindows);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}alerts_pending`,
      help: 'Alerts fired but not yet acknowledged by the alert topic.',
      registers,
      collect() {
        this.set(stats().pendingAlerts);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}alerts_watermark_seconds`,
      help: 'Event time (Unix seconds) up to which windows are closed; 0 before the first event. Alert on it standing still.',
      registers,
      collect() {
        this.set((stats().watermark ?? 0) / 1000);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}alerts_active`,
      help: '1 when this replica holds the partitions and evaluates the rules; 0 while it waits as a standby.',
      registers,
      collect() {
        this.set(stats().active ? 1 : 0);
      },
    });
    this.ready = new Gauge({
      name: `${METRIC_PREFIX}ready`,
      help: '1 when every readiness check passed at the last probe or scrape, else 0.',
      registers,
    });
    this.readinessCheck = new Gauge({
      name: `${METRIC_PREFIX}readiness_check`,
      help: '1 when the named readiness check passed at the last probe or scrape, else 0.',
      labelNames: ['check'],
      registers,
    });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  }

  /** The Prometheus text exposition of every metric, with its content type. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
