import { Command, InvalidArgumentError } from 'commander';
import { fromPackageRoot } from '../config/package-root';
import { runDemo } from './demo/run-demo';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected a whole number >= 1');
  return parsed;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the whole main job on the bundled sample stream: start local Kafka/Redis/registry if needed, create fresh topics, ' +
        'start the worker, spike alerts and the dashboard, publish the sample (with an anger burst), print enriched events and ' +
        'alerts live and a summary. Stops cleanly on Ctrl-C.',
    )
    .option('--once', 'exit 0 by itself once the sample has drained and the summary is printed', false)
    .option('-f, --file <path>', 'sample texts, one per line', fromPackageRoot('samples', 'demo-tweets.txt'))
    .option('-r, --rate <n>', 'tweets per second to publish', positiveInteger, 50)
    .option(
      '--dashboard-port <port>',
      'dashboard HTTP port (env DASHBOARD_PORT)',
      positiveInteger,
      Number(process.env.DASHBOARD_PORT ?? 8080),
    )
    .option(
      '--worker-http-port <port>',
      "worker's metrics/health port (alerts uses the next one)",
      positiveInteger,
      9464,
    )
    .option(
      '--drain-timeout-ms <ms>',
      'how long to wait for every tweet to come out',
      positiveInteger,
      180_000,
    )
    .action(
      async (flags: {
        once: boolean;
        file: string;
        rate: number;
        dashboardPort: number;
        workerHttpPort: number;
        drainTimeoutMs: number;
      }) => {
        await runDemo(flags);
      },
    );
}
