import { Command, Option } from 'commander';
import { createAlertCodec } from '../codec/alert-codec';
import { createDashboardServer } from '../dashboard/dashboard-server';
import { createDashboardFeed } from '../dashboard/dashboard-feed';
import { createLogger } from '../telemetry/logger';
import {
  asKafkaError,
  commaList,
  kafkaFrom,
  outputCodecFrom,
  streamOptions,
  untilSignal,
  wholeNumber,
  type StreamFlags,
} from './stream-flags';

interface DashboardFlags extends StreamFlags {
  port?: string;
  host: string;
  labels: string;
}

export function register(program: Command): void {
  const command = program
    .command('dashboard')
    .description(
      'Serve a live dashboard: per-emotion rates, recent spike alerts, sample tweets per emotion, throughput and lag, ' +
        'pushed to the browser with server-sent events from the output and alert topics. Open http://localhost:<port>/.',
    );
  for (const option of streamOptions()) command.addOption(option);
  command
    .addOption(new Option('--port <port>', 'HTTP port (env DASHBOARD_PORT, else HTTP_PORT, else 8080)'))
    .addOption(
      new Option('--host <address>', 'address to listen on').env('DASHBOARD_HOST').default('0.0.0.0'),
    )
    .addOption(
      new Option('--labels <list>', 'watched labels named in the page (as given to `alerts`)')
        .env('ALERT_LABELS')
        .default('anger,fear'),
    )
    .action(async (flags: DashboardFlags) => {
      const port = wholeNumber(
        'DASHBOARD_PORT',
        flags.port ?? process.env.DASHBOARD_PORT ?? process.env.HTTP_PORT ?? '8080',
      );
      const logger = createLogger({ level: flags.logLevel as 'info', name: 'emotion-stream-dashboard' });
      const codec = await outputCodecFrom(flags);
      const alertCodec = createAlertCodec();
      const watchedLabels = commaList(flags.labels);
      const server = createDashboardServer(
        {
          port,
          host: flags.host,
          info: { outputTopic: flags.outputTopic, alertTopic: flags.alertTopic, watchedLabels },
        },
        logger,
      );
      const feed = createDashboardFeed(
        {
          outputTopic: flags.outputTopic,
          alertTopic: flags.alertTopic,
          groupPrefix: 'emotion-stream-dashboard',
        },
        {
          kafka: kafkaFrom(flags, logger),
          decoder: codec.tweetEmotionDecoder,
          decodeAlert: (value) => alertCodec.decode(value),
          sink: server,
          logger,
        },
      );
      const signal = untilSignal();
      const { port: bound } = await server.start();
      process.stdout.write(`emotion-stream dashboard: http://localhost:${bound}/\n`);
      // The page is up at once; the feed may first wait for the output topic to exist.
      const failed = feed.start().then(
        () => new Promise<never>(() => undefined),
        (error: unknown) => error,
      );
      const outcome = await Promise.race([signal, failed]);
      if (typeof outcome === 'string') logger.info({ signal: outcome }, 'dashboard: stopping');
      else {
        await feed.stop();
        await server.stop();
        throw asKafkaError(outcome, flags.brokers);
      }
      await feed.stop();
      await server.stop();
    });
}
