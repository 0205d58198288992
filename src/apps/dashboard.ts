import type { Logger } from 'pino';
import { createAlertCodec } from '../codec/alert-codec';
import { CLEANUP_DEADLINE_MS, closeInOrder, settleWithin, type Cleanup } from '../core';
import { createDashboardFeed } from '../dashboard/dashboard-feed';
import { createDashboardServer } from '../dashboard/dashboard-server';
import { createLogger } from '../telemetry/logger';
import {
  asKafkaError,
  outputCodec,
  reachableKafka,
  untilSignal,
  type StreamConnection,
} from './stream-clients';

// Wiring only: settings -> dashboard server (the page, SSE) + feed (output, unclassified and alert
// topics) -> run until a signal.

export interface DashboardAppSettings {
  stream: StreamConnection;
  /** The worker's topic of tweets not classified because of their language. */
  unclassifiedTopic: string;
  port: number;
  host: string;
  /** Required from browsers when set (DASHBOARD_TOKEN; from the environment only). */
  token?: string;
  maxClients: number;
  /** Labels the page names as watched (as given to `alerts`). */
  watchedLabels: string[];
  logLevel: string;
}

/** Where a browser on this host opens the page. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Serves the dashboard and feeds it from the output and alert topics until SIGINT/SIGTERM; its
 * cleanups (the feed, then the server) run in order within CLEANUP_DEADLINE_MS. Prints
 * the page's URL once it listens.
 */
export async function runDashboardUntilSignal(
  settings: DashboardAppSettings,
  givenLogger?: Logger,
): Promise<void> {
  const logger =
    givenLogger ?? createLogger({ level: settings.logLevel as 'info', name: 'emotion-stream-dashboard' });
  const { stream } = settings;
  const opened: Cleanup[] = [];
  const closeAll = () => settleWithin(closeInOrder(opened, logger), CLEANUP_DEADLINE_MS);
  const signal = untilSignal();
  let feed: ReturnType<typeof createDashboardFeed>;
  try {
    const codec = await outputCodec(stream);
    const alertCodec = createAlertCodec();
    const server = createDashboardServer(
      {
        port: settings.port,
        host: settings.host,
        token: settings.token,
        viewers: { maxClients: settings.maxClients },
        info: {
          outputTopic: stream.outputTopic,
          unclassifiedTopic: settings.unclassifiedTopic,
          alertTopic: stream.alertTopic,
          watchedLabels: settings.watchedLabels,
        },
      },
      logger,
    );
    const { port: bound } = await server.start();
    opened.unshift({ name: 'dashboard server', close: () => server.stop() });
    feed = createDashboardFeed(
      {
        outputTopic: stream.outputTopic,
        unclassifiedTopic: settings.unclassifiedTopic,
        alertTopic: stream.alertTopic,
        groupPrefix: 'emotion-stream-dashboard',
      },
      {
        kafka: await reachableKafka(stream, logger),
        decoder: codec.tweetEmotionDecoder,
        decodeUnclassified: (value) => codec.tweetUnclassifiedDecoder.decode(value),
        decodeAlert: (value) => alertCodec.decode(value),
        sink: server,
        logger,
      },
    );
    opened.unshift({ name: 'dashboard feed', close: () => feed.stop() });
    process.stdout.write(`emotion-stream dashboard: http://${displayHost(settings.host)}:${bound}/\n`);
  } catch (error) {
    await closeAll();
    throw error;
  }
  // The page is up at once; the feed may first wait for the output topic to exist.
  const failed = feed.start().then(
    () => new Promise<never>(() => undefined),
    (error: unknown) => error,
  );
  const outcome = await Promise.race([signal, failed]);
  await closeAll();
  if (typeof outcome !== 'string') throw asKafkaError(outcome, stream.brokers);
  logger.info({ signal: outcome }, 'dashboard: stopped');
}
