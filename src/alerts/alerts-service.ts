import type { Admin, Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { AlertLedger } from './alert-ledger';
import type { SpikeDetectorOptions } from './alert-options';
import type { Clock } from './clock';
import { OncePerInterval } from './once-per-interval';
import { SpikeDetector } from './spike-detector';
import type { ClockSkewReason, SpikeDetectorStats } from './spike-detector';
import { ALERT_RETENTION_MS, type AlertCodec, type EmotionAlert, type TweetEmotionDecoder } from '../core';
import { readTopicToEnd } from '../kafka/read-topic-to-end';
import { singleActiveAssigner } from '../kafka/single-active-assigner';
import { ensureTopic } from '../kafka/ensure-topic';
import { waitForTopic } from '../kafka/wait-for-topic';

export interface AlertsServiceOptions {
  outputTopic: string;
  alertTopic: string;
  /** One group for all replicas: the single-active assigner gives one of them every partition. */
  groupId: string;
  detector: SpikeDetectorOptions;
  /**
   * On taking over, re-read this much of the output topic (by broker timestamp) to rebuild the
   * baseline and cooldowns before evaluating anything.
   * @defaultValue (baselineWindows + 1) x windowMs + allowedLatenessMs + 1 minute, at least the longest cooldown
   */
  replayMs?: number;
  /**
   * How often the log ends are read and the watermark moved (windows close, alerts go out).
   * @defaultValue 1000
   */
  tickMs?: number;
  /** @defaultValue 30000 (kafkajs); a standby takes over this long after the active one vanishes. */
  sessionTimeoutMs?: number;
  /** @defaultValue 3000 (kafkajs); a joining replica is noticed at the next heartbeat. */
  heartbeatIntervalMs?: number;
}

export interface AlertsServiceDeps {
  kafka: Kafka;
  /** Output-topic bytes -> TweetEmotion (the shared codec's tweetEmotionDecoder). */
  decoder: TweetEmotionDecoder;
  codec: AlertCodec;
  clock: Clock;
  logger: Logger;
  /** Called after an alert is on the topic. */
  onPublished?: (alert: EmotionAlert) => void;
}

export interface AlertsServiceStats extends SpikeDetectorStats {
  active: boolean;
  published: number;
  decodeErrors: number;
  pendingAlerts: number;
}

export interface AlertsService {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when this replica holds the partitions and has replayed (tests wait on it). */
  whenActive(): Promise<void>;
  stats(): AlertsServiceStats;
}

export function defaultReplayMs(detector: SpikeDetectorOptions): number {
  const baseline = (detector.baselineWindows + 1) * detector.windowMs + detector.allowedLatenessMs + 60_000;
  return Math.max(baseline, ...detector.rules.map((rule) => rule.cooldownMs));
}

/**
 * `emotion-stream alerts`: consumes the output topic with a single-active group (one replica
 * holds every partition, the others wait), feeds the spike detector and publishes alerts keyed by
 * their deterministic id with an idempotent producer. A replica that takes over replays the
 * recent stream and skips ids already on the alert topic, so a hand-over neither repeats nor
 * loses a spike.
 */
export function createAlertsService(options: AlertsServiceOptions, deps: AlertsServiceDeps): AlertsService {
  const { kafka, decoder, codec, clock, logger } = deps;
  const startedAt = clock.now();
  const replayMs = options.replayMs ?? defaultReplayMs(options.detector);
  let detector = new SpikeDetector(options.detector, clock);
  let ledger = new AlertLedger(replayMs);
  /** Publishing allowed: holds the partitions and has replayed. */
  let active = false;
  /** Holds the partitions (told to the group at the next join, so it keeps them). */
  let holding = false;
  let generation = 0;
  let pending: EmotionAlert[] = [];
  let publishing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let admin: Admin | undefined;
  /** Next offset to read per partition, to tell which partitions still hold unread records. */
  let positions = new Map<number, bigint>();
  let ticking = false;
  let stopped = false;
  const counters = { published: 0, decodeErrors: 0 };
  // One warning per reason and window length: a stream of bad timestamps must not flood the log.
  const skewWarnings: Record<ClockSkewReason, OncePerInterval> = {
    future: new OncePerInterval(options.detector.windowMs, clock),
    past: new OncePerInterval(options.detector.windowMs, clock),
    invalid: new OncePerInterval(options.detector.windowMs, clock),
  };
  let markActive: () => void = () => undefined;
  const activeOnce = new Promise<void>((resolve) => (markActive = resolve));

  // Publishing is serialised (batch handler and timer both publish) and never throws into the
  // consumer: a failed send keeps the alerts pending for the next try, because rethrowing would
  // make kafkajs redeliver the batch and the detector would count it twice.
  function publish(alerts: EmotionAlert[]): Promise<void> {
    pending.push(...alerts);
    publishing = publishing.then(async () => {
      if (!active || !producer || pending.length === 0) return;
      const fresh = pending.filter((alert) => !ledger.has(alert.id));
      if (fresh.length === 0) {
        pending = [];
        return;
      }
      try {
        await producer.send({
          topic: options.alertTopic,
          messages: fresh.map((alert) => ({
            key: alert.id,
            value: codec.encode(alert),
            timestamp: String(alert.detectedAt),
          })),
        });
        for (const alert of fresh) {
          ledger.add(alert);
          counters.published += 1;
          logger.warn(
            {
              alertId: alert.id,
              label: alert.label,
              ratio: Number(alert.ratio.toFixed(2)),
              count: alert.count,
            },
            'emotion spike',
          );
          deps.onPublished?.(alert);
        }
        pending = pending.filter((alert) => !ledger.has(alert.id));
      } catch (error) {
        logger.error({ err: error, pending: pending.length }, 'publishing alerts failed; will retry');
      }
    });
    return publishing;
  }

  async function activate(partitions: number[], myGeneration: number): Promise<void> {
    const lookup = kafka.admin();
    await lookup.connect();
    try {
      const from = clock.now() - replayMs;
      const offsets = await lookup.fetchTopicOffsetsByTimestamp(options.outputTopic, from);
      const known = await readTopicToEnd(
        kafka,
        options.alertTopic,
        (value) => codec.decode(value),
        `${options.groupId}-ledger`,
      );
      if (myGeneration !== generation) return;
      detector = new SpikeDetector(options.detector, clock);
      ledger = new AlertLedger(replayMs);
      pending = [];
      for (const alert of known) ledger.add(alert);
      positions = new Map();
      for (const { partition, offset } of offsets) {
        if (!partitions.includes(partition)) continue;
        consumer?.seek({ topic: options.outputTopic, partition, offset });
        positions.set(partition, BigInt(offset));
      }
      active = true;
      consumer?.resume([{ topic: options.outputTopic, partitions }]);
      logger.info(
        {
          partitions: partitions.length,
          replayFrom: new Date(from).toISOString(),
          knownAlerts: known.length,
        },
        'alerts: active',
      );
      markActive();
    } finally {
      await lookup.disconnect();
    }
  }

  function warnSkewed(reason: ClockSkewReason, createdAt: number, partition: number, offset: string): void {
    const count = skewWarnings[reason].note();
    if (count === undefined) return;
    logger.warn(
      {
        reason,
        createdAt,
        skewMs: createdAt - clock.now(),
        partition,
        offset,
        sinceLastWarning: count,
        maxFutureSkewMs: options.detector.maxFutureSkewMs,
        maxEventAgeMs: options.detector.maxEventAgeMs,
      },
      "alerts: events with created_at outside the clock-skew window are ignored (they would move the watermark); check the producers' clocks and that created_at is in milliseconds",
    );
  }

  async function eachBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    if (!active) return;
    for (const message of batch.messages) {
      if (message.value) {
        try {
          const event = await decoder.decode(message.value);
          const outcome = detector.observe(event, String(batch.partition));
          if (outcome !== 'accepted' && outcome !== 'late')
            warnSkewed(outcome, event.createdAt, batch.partition, message.offset);
        } catch (error) {
          counters.decodeErrors += 1;
          logger.debug(
            { err: error, partition: batch.partition, offset: message.offset },
            'alerts: undecodable record skipped',
          );
        }
      }
      resolveOffset(message.offset);
      positions.set(batch.partition, BigInt(message.offset) + 1n);
    }
    await heartbeat();
  }

  /**
   * Windows close here only, never inside a batch: the log ends are read first, so a partition
   * with records not yet fetched holds the watermark back (see SpikeDetector.advance), and a
   * burst written to all partitions at once is not judged by the partition fetched first.
   */
  async function tick(): Promise<void> {
    if (!active || ticking || !admin) return;
    ticking = true;
    try {
      const ends = await admin.fetchTopicOffsets(options.outputTopic);
      const behind = new Set<string>();
      for (const { partition, high } of ends) {
        const position = positions.get(partition);
        if (position !== undefined && position < BigInt(high)) behind.add(String(partition));
      }
      await publish(detector.advance(behind));
    } catch (error) {
      logger.warn({ err: error }, 'alerts: reading the log ends failed; windows wait for the next tick');
    } finally {
      ticking = false;
    }
  }

  return {
    async start() {
      admin = kafka.admin();
      await admin.connect();
      await ensureTopic(admin, {
        topic: options.alertTopic,
        numPartitions: 1,
        retentionMs: ALERT_RETENTION_MS,
      });
      if (!(await waitForTopic(admin, options.outputTopic, logger, () => stopped))) return;
      producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      consumer = kafka.consumer({
        groupId: options.groupId,
        partitionAssigners: [singleActiveAssigner({ startedAt, isActive: () => holding })],
        sessionTimeout: options.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
      });
      const c = consumer;
      c.on(c.events.REBALANCING, () => {
        // Until the new assignment is known, nobody here publishes.
        active = false;
        generation += 1;
      });
      c.on(c.events.GROUP_JOIN, (event) => {
        generation += 1;
        const partitions = event.payload.memberAssignment[options.outputTopic] ?? [];
        holding = partitions.length > 0;
        if (partitions.length === 0) {
          active = false;
          logger.info('alerts: standby (another replica holds the output topic)');
          return;
        }
        // Paused synchronously, before kafkajs fetches: nothing is counted until the replay seek is set.
        c.pause([{ topic: options.outputTopic, partitions }]);
        const myGeneration = generation;
        activate(partitions, myGeneration).catch((error) =>
          logger.error({ err: error }, 'alerts: taking over failed'),
        );
      });
      await c.connect();
      await c.subscribe({ topic: options.outputTopic });
      await c.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
      timer = setInterval(() => void tick(), options.tickMs ?? 1000);
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      active = false;
      holding = false;
      for (const close of [
        () => consumer?.disconnect(),
        () => publishing,
        () => producer?.disconnect(),
        () => admin?.disconnect(),
      ]) {
        try {
          await close();
        } catch (error) {
          logger.warn({ err: error }, 'alerts: error while stopping');
        }
      }
    },
    whenActive() {
      return activeOnce;
    },
    stats() {
      return {
        ...detector.stats(),
        active,
        published: counters.published,
        decodeErrors: counters.decodeErrors,
        pendingAlerts: pending.length,
      };
    },
  };
}
