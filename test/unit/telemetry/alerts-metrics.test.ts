import { startOpsServer, type OpsServer } from '../../../src/ops';
import { AlertsMetrics, type AlertsStatsSnapshot } from '../../../src/telemetry';

describe('alerts metrics through the ops server', () => {
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const scrape = async () => {
    const response = await fetch(`${server?.url}/metrics`);
    expect(response.status).toBe(200);
    return response.text();
  };

  it("serves the service's counts as of each scrape", async () => {
    const stats: AlertsStatsSnapshot = {
      accepted: 0,
      late: 0,
      decodeErrors: 0,
      suppressed: 0,
      skewed: { future: 0, past: 0, invalid: 0 },
      published: 0,
      pendingAlerts: 0,
      openWindows: 0,
      watermark: null,
      active: false,
    };
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      metrics: new AlertsMetrics(() => stats, { defaultMetrics: false }),
    });
    const before = await scrape();
    expect(before).toContain('emotion_stream_alerts_events_total{outcome="accepted"} 0');
    expect(before).toContain('emotion_stream_alerts_active 0');
    expect(before).toContain('emotion_stream_alerts_watermark_seconds 0');
    expect(before).toContain('emotion_stream_ready 1');

    Object.assign(stats, {
      accepted: 41,
      late: 2,
      decodeErrors: 1,
      suppressed: 3,
      skewed: { future: 7, past: 5, invalid: 1 },
      published: 4,
      pendingAlerts: 1,
      openWindows: 6,
      watermark: 1_700_000_060_000,
      active: true,
    });
    const after = await scrape();
    for (const line of [
      'emotion_stream_alerts_events_total{outcome="accepted"} 41',
      'emotion_stream_alerts_events_total{outcome="late"} 2',
      'emotion_stream_alerts_events_total{outcome="undecodable"} 1',
      'emotion_stream_alerts_clock_skew_total{reason="future"} 7',
      'emotion_stream_alerts_clock_skew_total{reason="past"} 5',
      'emotion_stream_alerts_clock_skew_total{reason="invalid"} 1',
      'emotion_stream_alerts_published_total 4',
      'emotion_stream_alerts_suppressed_total 3',
      'emotion_stream_alerts_pending 1',
      'emotion_stream_alerts_open_windows 6',
      'emotion_stream_alerts_watermark_seconds 1700000060',
      'emotion_stream_alerts_active 1',
    ]) {
      expect(after).toContain(line);
    }
    // A second scrape does not double the counters (they are re-read, not added).
    expect(await scrape()).toContain('emotion_stream_alerts_events_total{outcome="accepted"} 41');
  });
});
