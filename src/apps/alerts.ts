import type { Logger } from 'pino';
import { createAlertsService, type AlertsService, type AlertsServiceStats } from '../alerts/alerts-service';
import type { SpikeDetectorOptions } from '../alerts/alert-options';
import { systemClock } from '../alerts/clock';
import { createAlertCodec } from '../codec/alert-codec';
import { CLEANUP_DEADLINE_MS, closeInOrder, settleWithin, type Cleanup } from '../core';
import { startOpsServer } from '../ops';
import { AlertsMetrics } from '../telemetry/alerts-metrics';
import { createLogger } from '../telemetry/logger';
import {
  asKafkaError,
  outputCodec,
  reachableKafka,
  untilSignal,
  type StreamConnection,
} from './stream-clients';

// Wiring only: settings -> alerts service (+ its /metrics server) -> run until a signal.

export interface AlertsAppSettings {
  stream: StreamConnection;
  /** Consumer group shared by all alerts replicas (one active, the others stand by). */
  groupId: string;
  detector: SpikeDetectorOptions;
  /** Port of /metrics, /healthz and /readyz; 0 = none. */
  httpPort: number;
  httpHost: string;
  logLevel: string;
}

/** What /metrics shows before the service exists (it is created once Kafka answers). */
const IDLE_STATS: AlertsServiceStats = {
  accepted: 0,
  late: 0,
  suppressed: 0,
  skewed: { future: 0, past: 0, invalid: 0 },
  openWindows: 0,
  watermark: null,
  active: false,
  published: 0,
  decodeErrors: 0,
  pendingAlerts: 0,
};

/**
 * Starts the alerts application and runs it until SIGINT/SIGTERM; its cleanups (the service, then
 * the ops server) run in order within CLEANUP_DEADLINE_MS, after a failed start too.
 */
export async function runAlertsUntilSignal(settings: AlertsAppSettings, givenLogger?: Logger): Promise<void> {
  const logger =
    givenLogger ?? createLogger({ level: settings.logLevel as 'info', name: 'emotion-stream-alerts' });
  const { stream, detector } = settings;
  const opened: Cleanup[] = [];
  const closeAll = () => settleWithin(closeInOrder(opened, logger), CLEANUP_DEADLINE_MS);
  // Listen for signals first: start() waits for the output topic when the worker has not created it yet.
  const signal = untilSignal();
  let alerts: AlertsService;
  try {
    // The stats are read at scrape time; the service exists by the time the server answers.
    const created: { service?: AlertsService } = {};
    // Bound first: a taken port fails the start at once, before Kafka is contacted.
    if (settings.httpPort > 0) {
      const ops = await startOpsServer({
        port: settings.httpPort,
        host: settings.httpHost,
        settings: 'ALERTS_HTTP_PORT/ALERTS_HTTP_HOST',
        metrics: new AlertsMetrics(() => created.service?.stats() ?? IDLE_STATS),
        logger,
      });
      opened.unshift({ name: 'ops server', close: () => ops.close() });
      logger.info({ url: ops.url }, 'alerts: /metrics, /healthz and /readyz served');
    }
    const codec = await outputCodec(stream);
    alerts = createAlertsService(
      { outputTopic: stream.outputTopic, alertTopic: stream.alertTopic, groupId: settings.groupId, detector },
      {
        kafka: await reachableKafka(stream, logger),
        decoder: codec.tweetEmotionDecoder,
        codec: createAlertCodec(),
        clock: systemClock,
        logger,
      },
    );
    created.service = alerts;
    opened.unshift({ name: 'alerts service', close: () => alerts.stop() });
  } catch (error) {
    await closeAll();
    throw error;
  }
  const started = await Promise.race([
    alerts.start().then(
      () => true,
      async (error: unknown) => {
        // Bounded: a client stuck on a broker that went away must not hold up the exit.
        await closeAll();
        throw asKafkaError(error, stream.brokers);
      },
    ),
    signal.then(() => false),
  ]);
  if (started) {
    logger.info(
      {
        outputTopic: stream.outputTopic,
        alertTopic: stream.alertTopic,
        group: settings.groupId,
        labels: detector.rules.map((r) => r.label),
      },
      'alerts: started',
    );
  }
  logger.info({ signal: await signal, ...alerts.stats() }, 'alerts: stopping');
  await closeAll();
}
