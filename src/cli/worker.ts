import type { Command } from 'commander';
import { loadWorkerConfig } from '../config/worker-config';
import type { NamedSetting } from '../config/setting';
import { WORKER_DEAD_LETTER_SETTINGS, WORKER_SETTINGS } from '../config/worker-settings';
import { runWorkerUntilSignal } from '../apps/worker';
import { fatalMessage } from './fatal-exit';

function settingsHelp(title: string, settings: readonly NamedSetting[]): string {
  const width = Math.max(...settings.map((setting) => setting.name.length));
  const lines = settings.map(
    (setting) => `  ${setting.name.padEnd(width)}  ${setting.description} [default: ${setting.defaultText}]`,
  );
  return `${title}\n${lines.join('\n')}`;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description(
      'Run the stream worker: consume raw tweets (Avro) from INPUT_TOPIC in consumer group GROUP_ID, classify their emotions in ' +
        'micro-batches, write enriched events to OUTPUT_TOPIC (key = tweet id) and commit each offset only once its message is in the ' +
        'output topic or the dead-letter queue. Configured entirely by environment variables (below). Scale out by running more ' +
        'replicas with the same GROUP_ID (at most one per input partition is useful). SIGTERM/SIGINT shut down gracefully; the exit ' +
        'code is 0 after a clean shutdown within SHUTDOWN_TIMEOUT_MS.',
    )
    .addHelpText(
      'after',
      `\n${settingsHelp('Environment settings:', WORKER_SETTINGS)}\n\n${settingsHelp('Dead-letter and retry settings:', WORKER_DEAD_LETTER_SETTINGS)}\n\n` +
        'Tracing (OpenTelemetry, standard variables; off unless an endpoint is set):\n' +
        '  OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT  where spans go, e.g. http://collector:4318\n' +
        '  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL  http/protobuf (default), http/json or grpc\n' +
        '  OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER[_ARG], OTEL_SDK_DISABLED=true (see README, Observability)\n\n' +
        'Example:\n  KAFKA_BROKERS=127.0.0.1:9092 INPUT_TOPIC=tweets OUTPUT_TOPIC=tweets.emotions emotion-stream worker\n',
    )
    .action(async () => {
      // Invalid settings throw one ConfigError listing all of them; main.ts prints it as one message.
      const config = loadWorkerConfig(process.env);
      const { code, fatal } = await runWorkerUntilSignal(config);
      // The consumer crashed for good: say why in one line, as a failed start does.
      if (fatal) process.stderr.write(fatalMessage(fatal));
      // Exit now rather than when the last handle closes: after a missed deadline a client may
      // still be retrying, and SHUTDOWN_TIMEOUT_MS promises an exit in time either way.
      process.exit(code);
    });
}
