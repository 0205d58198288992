import { Command, Option } from 'commander';
import { spikeDetectorOptions } from '../alerts/alert-options';
import { runDashboardUntilSignal } from '../apps/dashboard';
import { unclassifiedTopicOf } from '../core';
import { exitSoonIfStillRunning } from './fatal-exit';
import { commaList, streamConnection, streamOptions, wholeNumber, type StreamFlags } from './stream-flags';

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
        .default(
          spikeDetectorOptions()
            .rules.map((rule) => rule.label)
            .join(','),
        ),
    )
    .action(async (flags: DashboardFlags) => {
      const port = wholeNumber(
        'DASHBOARD_PORT',
        flags.port ?? process.env.DASHBOARD_PORT ?? process.env.HTTP_PORT ?? '8080',
      );
      await runDashboardUntilSignal({
        stream: streamConnection(flags),
        unclassifiedTopic: flags.unclassifiedTopic?.trim() || unclassifiedTopicOf(flags.outputTopic),
        port,
        host: flags.host,
        // From the environment only: a flag would show in `ps` and shell history.
        token: process.env.DASHBOARD_TOKEN?.trim() || undefined,
        maxClients: wholeNumber('DASHBOARD_MAX_CLIENTS', flags.maxClients, 1),
        watchedLabels: commaList(flags.labels),
        logLevel: flags.logLevel,
      });
      exitSoonIfStillRunning();
    });
}
