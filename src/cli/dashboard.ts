import { Command, Option } from 'commander';
import { createAlertCodec } from '../codec/alert-codec';
import { createDashboardServer } from '../dashboard/dashboard-server';
import { createDashboardFeed } from '../dashboard/dashboard-feed';
import { settleWithin, unclassifiedTopicOf } from '../core';
import { createLogger } from '../telemetry/logger';
import { FATAL_CLEANUP_DEADLINE_MS } from './fatal-exit';
import {
  asKafkaError,
  commaList,
  reachableKafkaFrom,
  outputCodecFrom,
  streamOptions,
  untilSignal,
  wholeNumber,
  type StreamFlags,
} from './stream-flags';

/** Where a browser on this host opens the page. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

interface DashboardFlags extends StreamFlags {
  unclassifiedTopic?: string;
  port?: string;
  host: string;
  labels: string;
  maxClients: string;
}

export function register(program: Command): void {
  const command = program
    .command('dashboard')
    .description(
      'Serve a live dashboard: per-emotion rates, recent spike alerts, sample tweets per emotion, throughput and lag, ' +
        'the share of tweets not classified (per language), ' +
        'pushed to the browser with server-sent events from the output, unclassified and alert topics. Open http://localhost:<port>/. ' +
        'Serves this host only unless --host says otherwise; set DASHBOARD_TOKEN (environment only) to require a token: ' +
        'open the page once as /?token=<token>, a cookie keeps the access.',
    );
  for (const option of streamOptions()) command.addOption(option);
  command
    .addOption(
      new Option(
        '--unclassified-topic <topic>',
        "the worker's topic of tweets not classified because of their language (default <output-topic>.unclassified)",
      ).env('UNCLASSIFIED_TOPIC'),
    )
    .addOption(new Option('--port <port>', 'HTTP port (env DASHBOARD_PORT, else HTTP_PORT, else 8080)'))
    .addOption(
      new Option('--host <address>', 'address to listen on (containers: 0.0.0.0)')
        .env('DASHBOARD_HOST')
        .default('127.0.0.1'),
    )
    .addOption(
      new Option('--max-clients <n>', 'most viewers at once; more are answered 503')
        .env('DASHBOARD_MAX_CLIENTS')
        .default('100'),
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
      const maxClients = wholeNumber('DASHBOARD_MAX_CLIENTS', flags.maxClients, 1);
      const logger = createLogger({ level: flags.logLevel as 'info', name: 'emotion-stream-dashboard' });
      const codec = await outputCodecFrom(flags);
      const alertCodec = createAlertCodec();
      const watchedLabels = commaList(flags.labels);
      const unclassifiedTopic = flags.unclassifiedTopic?.trim() || unclassifiedTopicOf(flags.outputTopic);
      const server = createDashboardServer(
        {
          port,
          host: flags.host,
          // From the environment only: a flag would show in `ps` and shell history.
          token: process.env.DASHBOARD_TOKEN?.trim() || undefined,
          viewers: { maxClients },
          info: {
            outputTopic: flags.outputTopic,
            unclassifiedTopic,
            alertTopic: flags.alertTopic,
            watchedLabels,
          },
        },
        logger,
      );
      const signal = untilSignal();
      const { port: bound } = await server.start();
      let kafka;
      try {
        kafka = await reachableKafkaFrom(flags, logger);
      } catch (error) {
        await settleWithin(server.stop(), FATAL_CLEANUP_DEADLINE_MS);
        throw error;
      }
      const feed = createDashboardFeed(
        {
          outputTopic: flags.outputTopic,
          unclassifiedTopic,
          alertTopic: flags.alertTopic,
          groupPrefix: 'emotion-stream-dashboard',
        },
        {
          kafka,
          decoder: codec.tweetEmotionDecoder,
          decodeUnclassified: (value) => codec.tweetUnclassifiedDecoder.decode(value),
          decodeAlert: (value) => alertCodec.decode(value),
          sink: server,
          logger,
        },
      );
      process.stdout.write(`emotion-stream dashboard: http://${displayHost(flags.host)}:${bound}/\n`);
      // The page is up at once; the feed may first wait for the output topic to exist.
      const failed = feed.start().then(
        () => new Promise<never>(() => undefined),
        (error: unknown) => error,
      );
      const outcome = await Promise.race([signal, failed]);
      if (typeof outcome === 'string') logger.info({ signal: outcome }, 'dashboard: stopping');
      else {
        await settleWithin(
          feed.stop().then(() => server.stop()),
          FATAL_CLEANUP_DEADLINE_MS,
        );
        throw asKafkaError(outcome, flags.brokers);
      }
      await feed.stop();
      await server.stop();
    });
}
