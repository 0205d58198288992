import { createAlertCodec } from '../../../src/codec/alert-codec';
import { spikeDetectorOptions } from '../../../src/alerts/alert-options';
import { systemClock } from '../../../src/alerts/clock';
import { createAlertsService } from '../../../src/alerts/alerts-service';
import { DEFAULT_LANGUAGE_SETTINGS } from '../../../src/config/language-settings';
import type { Classifier, EmotionAlert, Tweet } from '../../../src/core';
import { readTopicToEnd } from '../../../src/kafka/read-topic-to-end';
import { createClassifier } from '../../../src/pipeline/batched-classifier';
import { createLanguageGate } from '../../../src/pipeline/language-gate';
import { copyInputHeaders } from '../../../src/pipeline/process-chunk';
import { createStreamWorker } from '../../../src/pipeline/stream-worker';
import { MINUTE } from '../../support/emotion-events';
import { uniqueName } from '../../support/services';
import {
  createTopic,
  produceTweets,
  rawCodec,
  testKafka,
  testLogger,
  testWorkerConfig,
  TINY_MODEL_DIR,
  uniqueTopics,
} from '../worker/worker-harness';

// Issue 19: alerts count only classified tweets. The real worker (language gate on, and off as the control)
// feeds a real output topic that the real alerts service reads. The tiny test model's labels are arbitrary,
// so the model runs but a marker word decides the label (ANGRY -> anger, else joy): the only double here.
// The stream: 16 quiet English minutes (6 of 60 angry), at minute 16 a burst of 100 angry non-English tweets,
// at minute 17 a real English anger spike (40 of 60) drowned in 300 calm non-English tweets.
jest.setTimeout(240_000);

const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 20 * MINUTE;

function tweet(id: string, minute: number, n: number, text: string, lang: string | null): Tweet {
  return {
    id,
    text,
    createdAt: t0 + minute * MINUTE + (n % 600) * 90,
    lang,
    userId: null,
    userName: null,
    source: 'burst-test',
    hashtags: [],
    attributes: {},
  };
}

function stream(): Tweet[] {
  const tweets: Tweet[] = [];
  const english = (minute: number, angry: number) => {
    for (let n = 0; n < 60; n += 1)
      tweets.push(
        n < angry
          ? tweet(`en-${minute}-${n}`, minute, n, `so ANGRY about the delay on my train today ${n}`, 'en')
          : tweet(`en-${minute}-${n}`, minute, n, `what a lovely calm morning with my friends ${n}`, 'en'),
      );
  };
  for (let minute = 0; minute < 16; minute += 1) english(minute, 6);
  english(16, 6);
  for (let n = 0; n < 100; n += 1)
    tweets.push(
      n % 2 === 0
        ? tweet(`es-16-${n}`, 16, n, `estoy ANGRY con el tráfico de hoy, qué desastre ${n}`, 'es')
        : tweet(`ja-16-${n}`, 16, n, `今日は電車が遅れて本当にANGRYです、最悪の朝でした ${n}`, null),
    );
  english(17, 40);
  for (let n = 0; n < 300; n += 1)
    tweets.push(
      n % 2 === 0
        ? tweet(`pt-17-${n}`, 17, n, `que dia lindo e tranquilo com os meus amigos ${n}`, 'pt')
        : tweet(`ru-17-${n}`, 17, n, `какой прекрасный спокойный день с друзьями ${n}`, null),
    );
  english(18, 6);
  english(19, 6);
  return tweets;
}

async function runWorkerAndAlerts(gate: boolean): Promise<EmotionAlert[]> {
  const kafka = testKafka();
  const topics = uniqueTopics(gate ? 'burst-gate' : 'burst-nogate');
  const alertTopic = uniqueName('burst-alerts');
  await createTopic(kafka, topics.input, 2);
  const codec = await rawCodec(topics);
  const tweets = stream();
  await produceTweets(kafka, topics.input, tweets, codec);
  const config = testWorkerConfig(topics, { LANGUAGE_GATE: String(gate) });
  const logger = testLogger();
  const model = await createClassifier({ modelDir: TINY_MODEL_DIR, maxBatchSize: 32 });
  const classifier: Classifier = {
    model: model.model,
    close: () => model.close(),
    async classify(texts) {
      const results = await model.classify(texts);
      return results.map((result, index) => {
        if (result instanceof Error) return result;
        const label = texts[index].includes('ANGRY') ? 'anger' : 'joy';
        return { label, score: 0.9, scores: { ...result.scores, [label]: 0.9 } };
      });
    },
  };
  const deadLetters: string[] = [];
  const worker = createStreamWorker({
    kafka,
    config,
    decoder: codec.decoder,
    encoder: codec.encoder,
    classifier,
    language: gate
      ? createLanguageGate({
          settings: DEFAULT_LANGUAGE_SETTINGS,
          supported: new Set(model.model.languages ?? ['en']),
          topic: config.unclassifiedTopic,
          encoder: codec.unclassifiedEncoder,
        })
      : undefined,
    deadLetter: {
      deadLetter: async (envelope, error) => void deadLetters.push(`${envelope.offset} ${error.code}`),
    },
    logger,
    outputHeaders: copyInputHeaders,
    cleanups: [{ name: 'classifier', close: () => classifier.close() }],
  });
  const alertCodec = createAlertCodec();
  const alerts = createAlertsService(
    {
      outputTopic: topics.output,
      alertTopic,
      groupId: uniqueName('burst-alerts-group'),
      detector: spikeDetectorOptions({
        allowedLatenessMs: 5_000,
        idleAdvanceMs: 2_000,
        rules: [{ label: 'anger', minCount: 20, minRatio: 2, cooldownMs: 5 * MINUTE }],
      }),
      tickMs: 200,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 500,
    },
    { kafka, decoder: codec.tweetEmotionDecoder, codec: alertCodec, clock: systemClock, logger },
  );
  try {
    await worker.start();
    await alerts.start();
    await alerts.whenActive();
    // Every classified tweet reached the alerts service, and its watermark passed minute 17.
    const classified = gate ? 20 * 60 : tweets.length;
    const deadline = Date.now() + 180_000;
    const seen = () => alerts.stats().accepted + alerts.stats().late;
    while (seen() < classified) {
      if (Date.now() > deadline)
        throw new Error(
          `alerts accepted ${alerts.stats().accepted} of ${classified} (${JSON.stringify(alerts.stats())})`,
        );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(seen()).toBe(classified);
    expect(deadLetters).toEqual([]);
    return await readTopicToEnd(
      kafka,
      alertTopic,
      (value) => alertCodec.decode(value),
      uniqueName('burst-read'),
    );
  } finally {
    await alerts.stop();
    expect(await worker.stop()).toBe(true);
  }
}

test('with the language gate a non-English burst neither fires an alert nor masks the real English spike', async () => {
  const alerts = await runWorkerAndAlerts(true);
  expect(
    alerts.map((alert) => ({ start: alert.windowStart, count: alert.count, total: alert.total })),
  ).toEqual([{ start: t0 + 17 * MINUTE, count: 40, total: 60 }]);
});

test('control, LANGUAGE_GATE=false: the same burst is classified and fires a false alert at minute 16', async () => {
  const alerts = await runWorkerAndAlerts(false);
  expect(alerts.map((alert) => alert.windowStart)).toContain(t0 + 16 * MINUTE);
  expect(alerts.map((alert) => alert.windowStart)).not.toContain(t0 + 17 * MINUTE);
});
