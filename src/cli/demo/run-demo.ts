import { Kafka, logLevel } from 'kafkajs';
import { DEAD_LETTER_SETTINGS, KAFKA_CONNECTION_SETTINGS } from '../../config/worker-settings';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createAlertCodec } from '../../codec/alert-codec';
import { createCodec } from '../../codec';
import { fromPackageRoot } from '../../config/package-root';
import { EmotionStreamError } from '../../core';
import { openDeadLetterStore } from '../../dlq';
import { startCliProcess, type CliProcess } from './cli-process';
import { startLiveView } from './live-view';
import { ensureLocalServices } from './local-services';
import { writeSampleStream } from './sample-stream';

export interface DemoOptions {
  once: boolean;
  file: string;
  rate: number;
  dashboardPort: number;
  workerHttpPort: number;
  drainTimeoutMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const print = (line: string) => process.stdout.write(`${line}\n`);

class DemoFailed extends EmotionStreamError {
  constructor(message: string) {
    super(message, { code: 'DEMO_FAILED', stage: 'config', retriable: false });
  }
}

async function waitUntil(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean> | boolean,
  children: CliProcess[],
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = children.find((child) => !child.running());
    if (dead)
      throw new DemoFailed(
        `${dead.name} exited while waiting for ${what}; last lines of ${dead.logFile}:\n${dead.tail()}`,
      );
    if (await check()) return;
    if (Date.now() > deadline)
      throw new DemoFailed(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(250);
  }
}

/**
 * The whole main job on the bundled sample: local services, topics, the worker, spike alerts and the
 * dashboard as real `emotion-stream` processes, the sample published with `emotion-stream produce`, the
 * enriched events and alerts printed live, then a summary. Topics and queues are new for each run.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const services = ensureLocalServices(print);
  const runId = `demo-${Date.now().toString(36)}`;
  const topics = {
    input: `${runId}.tweets`,
    output: `${runId}.tweets.emotions`,
    alerts: `${runId}.emotion.alerts`,
  };
  const dlqQueue = `${runId}-dlq`;
  const logDir = fromPackageRoot('.services', 'demo', runId);
  mkdirSync(logDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...services.env,
    INPUT_TOPIC: topics.input,
    OUTPUT_TOPIC: topics.output,
    ALERT_TOPIC: topics.alerts,
    GROUP_ID: runId,
    ALERTS_GROUP_ID: `${runId}-alerts`,
    DLQ_QUEUE: dlqQueue,
    // Demo-sized alert timing: the sample's event times span ~15 minutes but arrive in seconds.
    ALERT_IDLE_ADVANCE_MS: '2000',
    ALERT_ALLOWED_LATENESS_MS: '5000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const brokers = (env.KAFKA_BROKERS ?? KAFKA_CONNECTION_SETTINGS.KAFKA_BROKERS.defaultText).split(',');
  const kafka = new Kafka({ clientId: 'emotion-stream-demo', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const children: CliProcess[] = [];
  let stopLiveView: (() => Promise<void>) | undefined;
  const dashboardUrl = `http://127.0.0.1:${options.dashboardPort}/`;

  const cleanup = async () => {
    await stopLiveView?.().catch(() => undefined);
    await Promise.all(children.map((child) => child.stop()));
    await admin.disconnect().catch(() => undefined);
    services.stop();
  };

  try {
    print(
      `emotion-stream demo ${runId}: topics ${topics.input} -> ${topics.output}, alerts on ${topics.alerts}; logs in ${path.relative(process.cwd(), logDir)}/`,
    );
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: topics.input, numPartitions: 4 },
        { topic: topics.output, numPartitions: 4 },
        { topic: topics.alerts, numPartitions: 1 },
      ],
    });

    children.push(
      startCliProcess('worker', ['worker'], { ...env, HTTP_PORT: String(options.workerHttpPort) }, logDir),
    );
    children.push(
      startCliProcess(
        'alerts',
        ['alerts'],
        { ...env, ALERTS_HTTP_PORT: String(options.workerHttpPort + 1) },
        logDir,
      ),
    );
    children.push(
      startCliProcess(
        'dashboard',
        ['dashboard'],
        { ...env, DASHBOARD_PORT: String(options.dashboardPort) },
        logDir,
      ),
    );
    print('starting the worker (loads the model), spike alerts and the dashboard ...');
    await waitUntil(
      'the worker to join its consumer group',
      120_000,
      async () => {
        // The coordinator may not be known yet on a freshly started broker: that is "not yet", not a failure.
        const described = await admin.describeGroups([runId]).catch(() => undefined);
        const group = described?.groups[0];
        return group?.state === 'Stable' && group.members.length > 0;
      },
      children,
    );
    print(`dashboard: ${dashboardUrl}`);

    const codec = await createCodec({
      schemaRegistryUrl: env.SCHEMA_REGISTRY_URL,
      inputTopic: topics.input,
      outputTopic: topics.output,
      registerOnStart: false,
    });
    const alertCodec = createAlertCodec();
    const live = await startLiveView({
      kafka,
      groupId: `${runId}-viewer`,
      outputTopic: topics.output,
      alertTopic: topics.alerts,
      decodeOutput: (value) => codec.tweetEmotionDecoder.decode(value),
      decodeAlert: (value) => alertCodec.decode(value),
      print,
    });
    stopLiveView = live.stop;

    const streamFile = path.join(logDir, 'sample-stream.jsonl');
    const total = writeSampleStream({
      sampleFile: options.file,
      outFile: streamFile,
      runId,
      startMs: Date.now() - 20 * 60_000,
    });
    print(`publishing ${total} sample tweets at ${options.rate}/s with emotion-stream produce ...`);
    const startedAt = Date.now();
    const producer = startCliProcess(
      'produce',
      ['produce', '--file', streamFile, '--topic', topics.input, '--rate', String(options.rate)],
      env,
      logDir,
    );
    if ((await producer.exited) !== 0)
      throw new DemoFailed(`produce failed; last lines of ${producer.logFile}:\n${producer.tail()}`);

    const dlq = await openDeadLetterStore({
      redisUrl: env.REDIS_URL ?? DEAD_LETTER_SETTINGS.REDIS_URL.defaultText,
      queueName: dlqQueue,
      redisTimeoutMs: 5_000,
      mirrorTopic: undefined,
    });
    let deadLettered = 0;
    try {
      await waitUntil(
        'every tweet to be enriched or dead-lettered',
        options.drainTimeoutMs,
        async () => {
          deadLettered = await dlq.store.count();
          return live.counts.enriched + deadLettered >= total;
        },
        children,
      );
    } finally {
      await dlq.close();
    }
    const drainedAt = live.counts.lastOutputAt ?? Date.now();
    // The burst's window closes once later events (or the idle clock) move the watermark past it.
    await waitUntil('a spike alert', 20_000, () => live.counts.alerts.length > 0, children).catch(
      () => undefined,
    );

    const seconds = (drainedAt - startedAt) / 1000;
    print('');
    print('summary');
    print(`  tweets published   ${total}`);
    print(`  enriched           ${live.counts.enriched}`);
    print(`  dead-lettered      ${deadLettered}`);
    print(
      `  throughput         ${(live.counts.enriched / Math.max(seconds, 0.001)).toFixed(1)} tweets/s (limited by --rate ${options.rate}/s)`,
    );
    print(
      `  alerts             ${live.counts.alerts.length}${live.counts.alerts.map((alert) => ` [${alert.label} x${alert.ratio.toFixed(1)}]`).join('')}`,
    );
    print(
      '  per emotion        ' +
        [...live.counts.byLabel.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([label, count]) => `${label} ${count}`)
          .join(', '),
    );
    print(`  dashboard          ${dashboardUrl}`);

    if (!options.once) {
      print('\nthe worker, alerts and dashboard keep running: open the dashboard, press Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      print('stopping ...');
    }
  } finally {
    await cleanup();
  }
}
