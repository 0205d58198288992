import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { createAlertCodec } from '../../../src/codec/alert-codec';
import { spikeDetectorOptions } from '../../../src/alerts/alert-options';
import { systemClock } from '../../../src/alerts/clock';
import { createCodec } from '../../../src/codec';
import type { EmotionAlert, TweetEmotion } from '../../../src/core';
import { createAlertsService, type AlertsService } from '../../../src/alerts/alerts-service';
import { readTopicToEnd } from '../../../src/kafka/read-topic-to-end';
import { enrichedEvent, MINUTE, minutesOfEvents } from '../../support/emotion-events';
import { kafkaBrokers, uniqueName } from '../../support/services';

// Issue 8: enriched events with an injected anger spike go into a real output topic; the alerts
// service must publish exactly one Avro alert for the spike window, also with two replicas and
// across a hand-over from the active replica to the standby.
const kafka = new Kafka({ clientId: 'alerts-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
const alertCodec = createAlertCodec();
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }, pino.destination(2));
const detector = spikeDetectorOptions({
  allowedLatenessMs: 5_000,
  idleAdvanceMs: 2_000,
  rules: [{ label: 'anger', minCount: 20, minRatio: 2, cooldownMs: 5 * MINUTE }],
});

async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 40_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function setup(partitions: number) {
  const outputTopic = uniqueName('alerts-out');
  const alertTopic = uniqueName('alerts-alerts');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic: outputTopic, numPartitions: partitions }],
  });
  await admin.disconnect();
  const codec = await createCodec({ inputTopic: 'unused', outputTopic });
  const services: AlertsService[] = [];
  const start = async (groupId: string, serviceLogger = logger) => {
    const service = createAlertsService(
      {
        outputTopic,
        alertTopic,
        groupId,
        detector,
        tickMs: 200,
        sessionTimeoutMs: 10_000,
        heartbeatIntervalMs: 500,
      },
      {
        kafka,
        decoder: codec.tweetEmotionDecoder,
        codec: alertCodec,
        clock: systemClock,
        logger: serviceLogger,
      },
    );
    services.push(service);
    await service.start();
    return service;
  };
  const publish = async (events: TweetEmotion[]) => {
    const producer = kafka.producer();
    await producer.connect();
    const messages = await Promise.all(
      events.map(async (event) => ({ key: event.id, value: await codec.encoder.encode(event) })),
    );
    await producer.send({ topic: outputTopic, acks: -1, messages });
    await producer.disconnect();
  };
  const alerts = () =>
    readTopicToEnd(kafka, alertTopic, (value) => alertCodec.decode(value), uniqueName('alerts-read'));
  const stopAll = () => Promise.all(services.map((service) => service.stop()));
  return { outputTopic, alertTopic, start, publish, alerts, stopAll };
}

// Event time 20 minutes ago, on a minute boundary: 15 quiet minutes, a spike at minute 16, then calm.
const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 20 * MINUTE;

describe('alerts service on the real broker', () => {
  it('publishes one Avro alert for an injected anger spike', async () => {
    const env = await setup(3);
    try {
      const service = await env.start(uniqueName('alerts-group'));
      await service.whenActive();
      await env.publish(
        minutesOfEvents(t0, 0, 18, { perMinute: 60, angry: 6, spikes: [16], spikeAngry: 40 }),
      );
      const alerts = await waitFor(async () => {
        const found = await env.alerts();
        return found.length > 0 ? found : undefined;
      }, 'an alert on the alert topic').catch((error: Error) => {
        throw new Error(`${error.message}; service stats ${JSON.stringify(service.stats())}`);
      });
      expect(alerts).toHaveLength(1);
      const [alert] = alerts as [EmotionAlert];
      expect(alert).toMatchObject({
        label: 'anger',
        windowStart: t0 + 16 * MINUTE,
        windowEnd: t0 + 17 * MINUTE,
        count: 40,
        total: 60,
        groupKey: null,
      });
      expect(alert.ratio).toBeCloseTo(40 / 60 / 0.1, 5);
      expect(alert.sampleTweetIds.length).toBeGreaterThan(0);
      expect(service.stats()).toMatchObject({ active: true, published: 1, late: 0, decodeErrors: 0 });
    } finally {
      await env.stopAll();
    }
  }, 180_000);

  it('with two replicas publishes each spike once, also after the active one stops', async () => {
    const env = await setup(2);
    const group = uniqueName('alerts-group');
    try {
      const first = await env.start(group);
      await first.whenActive();
      const second = await env.start(group);
      // The running replica keeps the partitions when the second joins.
      await waitFor(
        () => (first.stats().active && !second.stats().active ? true : undefined),
        'first active, second standby',
      );
      await env.publish(
        minutesOfEvents(t0, 0, 18, { perMinute: 60, angry: 6, spikes: [16], spikeAngry: 40, idPrefix: 'a' }),
      );
      await waitFor(async () => ((await env.alerts()).length > 0 ? true : undefined), 'the first alert');

      await first.stop();
      await second.whenActive();
      // The standby replays the stream, recomputes the first spike, finds it on the topic, skips it…
      await waitFor(() => (second.stats().accepted >= 18 * 60 ? true : undefined), 'the standby to replay');
      // …and still catches a new spike (minute 19, after the first one's cooldown of 5 minutes… is not over:
      // use minute 22, 6 minutes later; events up to minute 24 push the watermark past it).
      await env.publish(
        minutesOfEvents(t0, 18, 24, { perMinute: 60, angry: 6, spikes: [22], spikeAngry: 45, idPrefix: 'b' }),
      );
      const alerts = await waitFor(async () => {
        const found = await env.alerts();
        return found.length >= 2 ? found : undefined;
      }, 'the second alert');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const ids = (await env.alerts()).map((alert) => alert.id);
      expect(ids).toEqual([
        `anger@${new Date(t0 + 16 * MINUTE).toISOString()}`,
        `anger@${new Date(t0 + 22 * MINUTE).toISOString()}`,
      ]);
      expect(alerts[1]).toMatchObject({ count: 45 });
      expect(second.stats().published).toBe(1);
    } finally {
      await env.stopAll();
    }
  }, 180_000);

  it('ignores records with created_at far from the wall clock (counted, logged once) and still alerts on the spike', async () => {
    const env = await setup(1);
    const lines: string[] = [];
    const capturing = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    try {
      const service = await env.start(uniqueName('alerts-group'), capturing);
      await service.whenActive();
      // A producer with a bad clock: created_at in microseconds, and one in seconds; three of each.
      const now = Date.now();
      await env.publish([
        ...[1, 2, 3].map((n) => enrichedEvent(`us-${n}`, now * 1000 + n, 'anger')),
        ...[1, 2, 3].map((n) => enrichedEvent(`s-${n}`, Math.floor(now / 1000) + n, 'anger')),
      ]);
      await waitFor(() => {
        const { skewed } = service.stats();
        return skewed.future + skewed.past >= 6 ? true : undefined;
      }, 'the skewed records to be read');
      // Let several ticks pass: had they moved the watermark, every event below would be late.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await env.publish(
        minutesOfEvents(t0, 0, 18, { perMinute: 60, angry: 6, spikes: [16], spikeAngry: 40 }),
      );
      const alerts = await waitFor(async () => {
        const found = await env.alerts();
        return found.length > 0 ? found : undefined;
      }, 'an alert on the alert topic').catch((error: Error) => {
        throw new Error(`${error.message}; service stats ${JSON.stringify(service.stats())}`);
      });
      expect(alerts.map((alert) => alert.windowStart)).toEqual([t0 + 16 * MINUTE]);
      expect(service.stats()).toMatchObject({ late: 0, skewed: { future: 3, past: 3, invalid: 0 } });
      expect(service.stats().watermark).toBeLessThan(Date.now());
      const warnings = lines
        .map((line) => JSON.parse(line) as { msg: string; reason?: string })
        .filter((line) => /clock-skew window/.test(line.msg));
      // Once per reason and window, not once per record.
      expect(warnings.map((line) => line.reason).sort()).toEqual(['future', 'past']);
    } finally {
      await env.stopAll();
    }
  }, 180_000);
});
