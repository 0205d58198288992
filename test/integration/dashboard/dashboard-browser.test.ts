import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { chromium, type BrowserContext } from 'playwright-core';
import { createAlertCodec } from '../../../src/codec/alert-codec';
import { spikeDetectorOptions } from '../../../src/alerts/alert-options';
import { systemClock } from '../../../src/alerts/clock';
import { createCodec } from '../../../src/codec';
import type { TweetUnclassified } from '../../../src/core';
import { createDashboardServer } from '../../../src/dashboard/dashboard-server';
import { createAlertsService } from '../../../src/alerts/alerts-service';
import { createDashboardFeed } from '../../../src/dashboard/dashboard-feed';
import { EMOTION_LABELS, enrichedEvent } from '../../support/emotion-events';
import { kafkaBrokers, uniqueName } from '../../support/services';

// Issue 8, browser test: Debian's Chromium (playwright-core) opens the dashboard while enriched
// events flow through the real broker; the chart must update, and an injected anger spike must
// show up as an alert (alerts service -> alert topic -> dashboard -> SSE -> page); tweets on the unclassified
// topic show as the not-classified share per language (issue 19).
const root = path.resolve(__dirname, '..', '..', '..');
const artifacts = path.join(root, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const DASHBOARD_TOKEN = 'browser-test-token';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A tweet the worker kept from the model, as it writes it to the unclassified topic. */
function unclassifiedEvent(id: string, language: 'es' | 'ja'): TweetUnclassified {
  return {
    id,
    text: language === 'es' ? 'qué día tan bonito con mis amigos' : '今日は友達と一緒にいい天気',
    createdAt: Date.now(),
    lang: language,
    userId: null,
    hashtags: [],
    language,
    languageSource: 'producer',
    languageConfidence: null,
    reason: 'UNSUPPORTED_LANGUAGE',
    modelName: 'test-model',
    modelVersion: '1',
    modelLanguages: ['en'],
    processedAt: Date.now(),
    sourceTopic: 'tweets',
    sourcePartition: 0,
    sourceOffset: '0',
  };
}

const TEXTS: Record<string, string[]> = {
  sadness: [
    'i feel so lonely since my best friend moved away',
    'watching the last ferry leave for the season makes me sad',
    'missing home more than i expected tonight',
  ],
  joy: [
    'just got the keys to our first apartment, so happy',
    'sunshine and fresh coffee, feeling grateful',
    'we won the match in the last minute!!',
  ],
  love: [
    'my grandma taught me her bread recipe today, i adore her',
    'ten years married and i still feel lucky every day',
    'my dog waits at the door for me every evening',
  ],
  anger: [
    'furious that the airline lost my luggage again',
    'so angry the landlord ignored the broken heating all winter',
    'outraged they cancelled the train without warning',
  ],
  fear: [
    'terrified of the job interview tomorrow',
    'the storm warning has me scared for my parents',
    'anxious about the test results coming in',
  ],
  surprise: [
    'cannot believe the bus driver waited for me today',
    'wait, the concert is tonight? did not see that coming',
    'a stranger paid for my coffee, wow',
  ],
};

const kafka = new Kafka({ clientId: 'dashboard-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
const logger = pino({ level: 'silent' });

describe('dashboard in Chromium', () => {
  let browser: BrowserContext | undefined;
  let userDataDir: string;

  beforeAll(() => {
    const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-dashboard.mjs')], {
      cwd: root,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`building the dashboard assets failed:\n${built.stderr}`);
    mkdirSync(artifacts, { recursive: true });
    userDataDir = mkdtempSync(path.join(os.tmpdir(), 'emotion-dashboard-chromium-'));
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  it('draws live rates and shows an alert after an injected anger spike', async () => {
    const outputTopic = uniqueName('dash-out');
    const unclassifiedTopic = `${outputTopic}.unclassified`;
    const alertTopic = uniqueName('dash-alerts');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: outputTopic, numPartitions: 2 },
        { topic: unclassifiedTopic, numPartitions: 2 },
      ],
    });
    await admin.disconnect();
    const codec = await createCodec({ inputTopic: 'unused', outputTopic });
    const alertCodec = createAlertCodec();

    const server = createDashboardServer(
      {
        port: 0,
        host: '127.0.0.1',
        // With an access token, as a shared deployment runs it: the first load carries ?token=, a cookie the rest.
        token: DASHBOARD_TOKEN,
        info: { outputTopic, unclassifiedTopic, alertTopic, watchedLabels: ['anger', 'fear'] },
      },
      logger,
    );
    const feed = createDashboardFeed(
      { outputTopic, unclassifiedTopic, alertTopic, groupPrefix: uniqueName('dash-view') },
      {
        kafka,
        decoder: codec.tweetEmotionDecoder,
        decodeUnclassified: (value) => codec.tweetUnclassifiedDecoder.decode(value),
        decodeAlert: (value) => alertCodec.decode(value),
        sink: server,
        logger,
      },
    );
    // Short windows so a live (event time = now) spike closes within seconds: 2 s windows, 5 of baseline.
    const alerts = createAlertsService(
      {
        outputTopic,
        alertTopic,
        groupId: uniqueName('dash-alerts-group'),
        detector: spikeDetectorOptions({
          windowMs: 2_000,
          baselineWindows: 5,
          allowedLatenessMs: 500,
          idleAdvanceMs: 1_000,
          minBaselineEvents: 50,
          rules: [{ label: 'anger', minCount: 20, minRatio: 2, cooldownMs: 60_000 }],
        }),
        tickMs: 250,
      },
      { kafka, decoder: codec.tweetEmotionDecoder, codec: alertCodec, clock: systemClock, logger },
    );
    const producer = kafka.producer();
    let flowing = true;
    let spike = false;
    let flow: Promise<void> = Promise.resolve();
    try {
      const { port } = await server.start();
      await feed.start();
      await alerts.start();
      await Promise.all([feed.whenJoined(), alerts.whenActive()]);
      await producer.connect();

      // A fresh profile per run (playwright passes it as --user-data-dir).
      browser = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        viewport: { width: 1440, height: 1000 },
      });
      const page = browser.pages()[0] ?? (await browser.newPage());
      // The page must work under its Content-Security-Policy: any violation or script error fails the test.
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (/Content.Security.Policy|Refused to/i.test(message.text())) pageErrors.push(message.text());
      });
      await page.goto(`http://127.0.0.1:${port}/?token=${DASHBOARD_TOKEN}`);
      expect(page.url()).toBe(`http://127.0.0.1:${port}/`);
      // Useful before the first event: axes drawn, all six labels named, waiting states.
      await page.locator('#chart .uplot').waitFor();
      await page.getByText('Waiting for events on the output topic').waitFor();
      expect(await page.locator('#legend .legend-item').allTextContents()).toEqual(
        EMOTION_LABELS.map((label) => expect.stringContaining(label)),
      );
      await page.screenshot({ path: path.join(artifacts, 'dashboard-empty.png') });

      // ~60 events/s, 10 % anger; 60 % anger while `spike` is on. The other labels get uneven,
      // slowly drifting shares so the chart looks like traffic rather than five identical lines.
      const calm = ['joy', 'joy', 'joy', 'sadness', 'sadness', 'love', 'surprise', 'surprise', 'fear'];
      let n = 0;
      flow = (async () => {
        while (flowing) {
          const messages = [];
          for (let i = 0; i < 6; i += 1, n += 1) {
            const drift = Math.floor(n / 240) % calm.length;
            const label = (spike ? n % 10 < 6 : n % 10 === 0) ? 'anger' : calm[(n * 7 + drift) % calm.length];
            const texts = TEXTS[label];
            const event = enrichedEvent(`dash-${n}`, Date.now(), label, { text: texts[n % texts.length] });
            messages.push({ key: event.id, value: await codec.encoder.encode(event) });
          }
          await producer.send({ topic: outputTopic, messages });
          // Two tweets the worker would not classify for every six it did: 25 % not classified (es, ja).
          const notClassified = await Promise.all(
            (['es', 'ja'] as const).map((language, i) =>
              codec.unclassifiedEncoder.encode(unclassifiedEvent(`dash-u-${n}-${i}`, language)),
            ),
          );
          await producer.send({
            topic: unclassifiedTopic,
            messages: notClassified.map((value, i) => ({ key: `dash-u-${n}-${i}`, value })),
          });
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();

      const joySeriesHasData = () =>
        page.waitForFunction(
          () => {
            const chart = (
              window as unknown as {
                emotionDashboard: { chart(): { series: Array<{ label?: string }>; data: number[][] } };
              }
            ).emotionDashboard.chart();
            const index = chart.series.findIndex((series) => series.label === 'joy');
            return chart.data[index].some((value) => value > 0);
          },
          undefined,
          { timeout: 30_000 },
        );
      await joySeriesHasData();
      const pointsBefore = Number(await page.locator('#chart').getAttribute('data-points'));
      await page.waitForFunction(
        (before) => Number(document.querySelector('#chart')?.getAttribute('data-points')) > before + 2,
        pointsBefore,
      );
      expect(
        Number(
          await page
            .locator('#kpi-total')
            .textContent()
            .then((t) => t?.replace(/\D/g, '')),
        ),
      ).toBeGreaterThan(0);
      await expect(page.locator('#chart-empty').getAttribute('class')).resolves.toContain('hidden');
      // The not-classified panel: the share of all tweets the worker decided, and its languages.
      await page.waitForFunction(
        () => Number(document.querySelector<HTMLElement>('#kpi-unclassified')?.dataset.count) > 10,
      );
      const share = Number((await page.locator('#kpi-unclassified').textContent())?.replace(/[^\d.]/g, ''));
      expect(share).toBeGreaterThan(15);
      expect(share).toBeLessThan(35);
      expect(await page.locator('#kpi-unclassified-languages').textContent()).toMatch(
        /^(es|ja) \d+\.\d % · (es|ja) \d+\.\d %$/,
      );
      expect(await page.locator('#alerts .alert').count()).toBe(0);

      // Let the 5-window baseline fill, then inject the spike for two windows.
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      spike = true;
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      spike = false;
      const alertItem = page.locator('#alerts .alert[data-label="anger"]').first();
      await alertItem.waitFor({ timeout: 60_000 });
      expect(await alertItem.textContent()).toMatch(/anger.*×\d+(\.\d)?/s);
      await page.locator('.sample-col[data-label="anger"] .tweet').first().waitFor();
      // A few more seconds of calm traffic, so the screenshot shows the spike inside the flow.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      await page.screenshot({ path: path.join(artifacts, 'dashboard.png') });
      expect(pageErrors).toEqual([]);
      if (process.env.UPDATE_DASHBOARD_SCREENSHOT === '1')
        await page.screenshot({ path: path.join(root, 'docs', 'dashboard.png') });
    } finally {
      flowing = false;
      await flow.catch(() => undefined);
      await producer.disconnect();
      await alerts.stop();
      await feed.stop();
      await server.stop();
    }
  }, 180_000);
});
