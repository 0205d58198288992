import { Command, Option } from 'commander';
import { groupDimensions, spikeDetectorOptions, type GroupDimension } from '../alerts/alert-options';
import { runAlertsUntilSignal } from '../apps/alerts';
import { ConfigError } from '../core';
import { exitSoonIfStillRunning } from './fatal-exit';
import {
  commaList,
  decimal,
  streamConnection,
  streamOptions,
  wholeNumber,
  type StreamFlags,
} from './stream-flags';

interface AlertFlags extends StreamFlags {
  group: string;
  labels: string;
  windowMs: string;
  baselineWindows: string;
  minRatio: string;
  minCount: string;
  cooldownMs: string;
  latenessMs: string;
  idleMs: string;
  minBaselineEvents: string;
  maxClockSkewMs: string;
  maxEventAgeMs: string;
  groupBy: string;
  httpPort: string;
  httpHost: string;
}

// The detector's defaults live in its options schema (alerts/alert-options.ts); the flags show them.
const DEFAULTS = spikeDetectorOptions();

function detectorFrom(flags: AlertFlags) {
  const labels = commaList(flags.labels);
  const groupBy = commaList(flags.groupBy);
  const unknown = groupBy.filter((dimension) => !(groupDimensions as readonly string[]).includes(dimension));
  if (unknown.length > 0)
    throw new ConfigError(
      `ALERT_GROUP_BY: unknown dimension ${unknown.join(', ')} (expected ${groupDimensions.join(', ')})`,
    );
  const rule = {
    minRatio: decimal('ALERT_MIN_RATIO', flags.minRatio),
    minCount: wholeNumber('ALERT_MIN_COUNT', flags.minCount, 1),
    cooldownMs: wholeNumber('ALERT_COOLDOWN_MS', flags.cooldownMs),
  };
  if (labels.length === 0) throw new ConfigError('ALERT_LABELS: name at least one label');
  return spikeDetectorOptions({
    windowMs: wholeNumber('ALERT_WINDOW_MS', flags.windowMs, 1),
    baselineWindows: wholeNumber('ALERT_BASELINE_WINDOWS', flags.baselineWindows, 1),
    allowedLatenessMs: wholeNumber('ALERT_ALLOWED_LATENESS_MS', flags.latenessMs),
    idleAdvanceMs: wholeNumber('ALERT_IDLE_ADVANCE_MS', flags.idleMs, 1),
    maxFutureSkewMs: wholeNumber('ALERT_MAX_CLOCK_SKEW_MS', flags.maxClockSkewMs),
    maxEventAgeMs: wholeNumber('ALERT_MAX_EVENT_AGE_MS', flags.maxEventAgeMs, 1),
    minBaselineEvents: wholeNumber('ALERT_MIN_BASELINE_EVENTS', flags.minBaselineEvents),
    groupBy: groupBy.length > 0 ? (groupBy as [GroupDimension, ...GroupDimension[]]) : undefined,
    rules: [{ label: labels[0], ...rule }, ...labels.slice(1).map((label) => ({ label, ...rule }))],
  });
}

export function register(program: Command): void {
  const command = program
    .command('alerts')
    .description(
      'Watch the enriched stream for emotion spikes and publish Avro alerts. Event-time tumbling windows (1 minute) ' +
        'are compared with the windows before them (15 minutes): a watched label fires when its share of the window is ' +
        'at least --min-ratio times its baseline share AND it has --min-count events, then stays quiet for --cooldown-ms. ' +
        'Run one or more replicas with the same --group: one holds every partition, the others stand by.',
    );
  for (const option of streamOptions()) command.addOption(option);
  command
    .addOption(
      new Option('--group <id>', 'consumer group shared by all alerts replicas')
        .env('ALERTS_GROUP_ID')
        .default('emotion-stream-alerts'),
    )
    .addOption(
      new Option('--labels <list>', 'watched emotion labels, comma-separated (one rule each)')
        .env('ALERT_LABELS')
        .default(DEFAULTS.rules.map((rule) => rule.label).join(',')),
    )
    .addOption(
      new Option('--window-ms <ms>', 'tumbling window size (event time)')
        .env('ALERT_WINDOW_MS')
        .default(String(DEFAULTS.windowMs)),
    )
    .addOption(
      new Option('--baseline-windows <n>', 'windows before the evaluated one that form the baseline')
        .env('ALERT_BASELINE_WINDOWS')
        .default(String(DEFAULTS.baselineWindows)),
    )
    .addOption(
      new Option('--min-ratio <x>', 'window share / baseline share needed to fire (> 1)')
        .env('ALERT_MIN_RATIO')
        .default(String(DEFAULTS.rules[0].minRatio)),
    )
    .addOption(
      new Option('--min-count <n>', 'events of the label needed in the window to fire')
        .env('ALERT_MIN_COUNT')
        .default(String(DEFAULTS.rules[0].minCount)),
    )
    .addOption(
      new Option('--cooldown-ms <ms>', 'after a firing, quiet time (event time) for the same label and group')
        .env('ALERT_COOLDOWN_MS')
        .default(String(DEFAULTS.rules[0].cooldownMs)),
    )
    .addOption(
      new Option('--lateness-ms <ms>', 'how late (event time) an event may arrive and still count')
        .env('ALERT_ALLOWED_LATENESS_MS')
        .default(String(DEFAULTS.allowedLatenessMs)),
    )
    .addOption(
      new Option('--idle-ms <ms>', 'after this long without events the clock closes windows')
        .env('ALERT_IDLE_ADVANCE_MS')
        .default(String(DEFAULTS.idleAdvanceMs)),
    )
    .addOption(
      new Option('--min-baseline-events <n>', 'no rule fires before the baseline holds this many events')
        .env('ALERT_MIN_BASELINE_EVENTS')
        .default(String(DEFAULTS.minBaselineEvents)),
    )
    .addOption(
      new Option(
        '--max-clock-skew-ms <ms>',
        'events created further than this ahead of the wall clock are counted as skewed and ignored',
      )
        .env('ALERT_MAX_CLOCK_SKEW_MS')
        .default(String(DEFAULTS.maxFutureSkewMs)),
    )
    .addOption(
      new Option(
        '--max-event-age-ms <ms>',
        'events created longer than this before the wall clock are counted as skewed and ignored',
      )
        .env('ALERT_MAX_EVENT_AGE_MS')
        .default(String(DEFAULTS.maxEventAgeMs)),
    )
    .addOption(
      new Option(
        '--group-by <list>',
        `dimensions to alert on, comma-separated: ${groupDimensions.join(', ')}`,
      )
        .env('ALERT_GROUP_BY')
        .default(DEFAULTS.groupBy.join(',')),
    )
    .addOption(
      new Option('--http-port <port>', 'port of /metrics (Prometheus), /healthz and /readyz; 0 = none')
        .env('ALERTS_HTTP_PORT')
        .default('9465'),
    )
    .addOption(
      new Option('--http-host <address>', 'interface of that server (containers: 0.0.0.0)')
        .env('ALERTS_HTTP_HOST')
        .default('127.0.0.1'),
    )
    .action(async (flags: AlertFlags) => {
      const detector = detectorFrom(flags);
      const httpPort = wholeNumber('ALERTS_HTTP_PORT', flags.httpPort);
      if (httpPort > 65_535)
        throw new ConfigError(`ALERTS_HTTP_PORT: expected a port <= 65535, got ${httpPort}`);
      await runAlertsUntilSignal({
        stream: streamConnection(flags),
        groupId: flags.group,
        detector,
        httpPort,
        httpHost: flags.httpHost,
        logLevel: flags.logLevel,
      });
      exitSoonIfStillRunning();
    });
}
