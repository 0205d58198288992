import { SpikeDetector } from '../../../src/alerts/spike-detector';
import type { ObservedEmotion } from '../../../src/alerts/observed-emotion';
import type { SpikeDetectorInput } from '../../../src/alerts/alert-options';
import { spikeDetectorOptions } from '../../../src/alerts/alert-options';
import { ConfigError } from '../../../src/core';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

class ManualClock {
  constructor(public time = T0) {}
  now(): number {
    return this.time;
  }
}

let seq = 0;
function tweet(createdAt: number, label: string, extra: Partial<ObservedEmotion> = {}): ObservedEmotion {
  seq += 1;
  return {
    id: `t${String(seq).padStart(6, '0')}`,
    createdAt,
    lang: 'en',
    hashtags: [],
    emotion: { label, score: 0.9 },
    ...extra,
  };
}

/** `perMinute` events in minute `minute` (from T0), `angry` of them anger, the rest joy, spread over the minute. */
function minuteOf(
  minute: number,
  perMinute: number,
  angry: number,
  extra: Partial<ObservedEmotion> = {},
): ObservedEmotion[] {
  const events: ObservedEmotion[] = [];
  for (let i = 0; i < perMinute; i += 1) {
    events.push(
      tweet(T0 + minute * MINUTE + Math.floor((i * MINUTE) / perMinute), i < angry ? 'anger' : 'joy', extra),
    );
  }
  return events;
}

// The manual clock stands still while these streams run tens of minutes of event time ahead of it;
// the clock-skew window is tested on its own (spike-detector-clock-skew.test.ts).
function detector(options: SpikeDetectorInput = {}, clock = new ManualClock()) {
  return {
    clock,
    detector: new SpikeDetector(
      { allowedLatenessMs: 5_000, maxFutureSkewMs: 24 * 60 * MINUTE, ...options },
      clock,
    ),
  };
}

/** Feeds events then closes everything the watermark allows, collecting alerts. */
function feed(target: SpikeDetector, events: ObservedEmotion[]) {
  for (const event of events) target.observe(event);
  return target.advance();
}

describe('SpikeDetector', () => {
  beforeEach(() => {
    seq = 0;
  });

  it('fires once when the window share of anger exceeds the 15-minute baseline by the ratio and count', () => {
    const { detector: d } = detector();
    const quiet = Array.from({ length: 15 }, (_, m) => minuteOf(m, 100, 10)).flat();
    expect(feed(d, quiet)).toEqual([]);
    const spike = minuteOf(15, 100, 40);
    // The spike minute closes only when event time passes its end + lateness.
    expect(feed(d, spike)).toEqual([]);
    const alerts = feed(d, minuteOf(16, 100, 10));
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({
      id: `anger@${new Date(T0 + 15 * MINUTE).toISOString()}`,
      label: 'anger',
      groupBy: null,
      groupKey: null,
      windowStart: T0 + 15 * MINUTE,
      windowEnd: T0 + 16 * MINUTE,
      count: 40,
      total: 100,
      baselineTotal: 1500,
      baselineStart: T0,
      minRatio: 2,
      minCount: 20,
    });
    expect(alert.share).toBeCloseTo(0.4);
    expect(alert.baselineShare).toBeCloseTo(0.1);
    expect(alert.ratio).toBeCloseTo(4);
    expect(alert.sampleTweetIds).toHaveLength(5);
  });

  it('does not fire below the minimum count even when the ratio is huge', () => {
    const { detector: d } = detector();
    feed(d, Array.from({ length: 15 }, (_, m) => minuteOf(m, 100, 1)).flat());
    feed(d, minuteOf(15, 30, 15)); // 50 % anger vs 1 %, but only 15 angry tweets
    expect(feed(d, minuteOf(16, 100, 1))).toEqual([]);
  });

  it('does not fire when the count is high but the share is normal', () => {
    const { detector: d } = detector();
    feed(d, Array.from({ length: 15 }, (_, m) => minuteOf(m, 100, 30)).flat());
    feed(d, minuteOf(15, 300, 90)); // 3x the traffic, same 30 % share
    expect(feed(d, minuteOf(16, 100, 30))).toEqual([]);
  });

  it('stays quiet on a cold start (baseline below minBaselineEvents)', () => {
    const { detector: d } = detector({ minBaselineEvents: 500 });
    feed(d, minuteOf(0, 100, 5));
    feed(d, minuteOf(1, 100, 60));
    expect(feed(d, minuteOf(2, 100, 5))).toEqual([]);
  });

  it('holds back repeat firings during the cooldown (event time) and fires again after it', () => {
    const { detector: d } = detector({
      rules: [{ label: 'anger', cooldownMs: 3 * MINUTE }],
      baselineWindows: 5,
    });
    feed(d, Array.from({ length: 5 }, (_, m) => minuteOf(m, 100, 5)).flat());
    const fired: string[] = [];
    for (let m = 5; m <= 12; m += 1) {
      // Every minute from 5 on is a spike against a quiet baseline only for the first few; keep
      // the baseline quiet by alternating spike and quiet minutes.
      const angry = m % 2 === 1 ? 50 : 5;
      fired.push(...feed(d, minuteOf(m, 100, angry)).map((a) => a.id));
    }
    fired.push(...feed(d, minuteOf(13, 100, 5)).map((a) => a.id));
    const minutes = fired.map((id) => (Date.parse(id.split('@')[1]) - T0) / MINUTE);
    // Spikes at 5, 7, 9, 11: 5 fires, 7 is within 3 minutes (suppressed), 9 fires, 11 suppressed.
    expect(minutes).toEqual([5, 9]);
    expect(d.stats().suppressed).toBe(2);
  });

  it('counts an out-of-order event within the allowed lateness and drops one beyond it', () => {
    const { detector: d } = detector({ allowedLatenessMs: 20_000, minBaselineEvents: 0 });
    d.observe(tweet(T0 + 10_000, 'joy'));
    d.observe(tweet(T0 + MINUTE + 15_000, 'joy')); // watermark = 1:15 - 0:20 = 0:55: minute 0 still open
    d.advance();
    expect(d.observe(tweet(T0 + 50_000, 'joy'))).toBe('accepted');
    d.observe(tweet(T0 + MINUTE + 30_000, 'joy')); // watermark 1:10: minute 0 closes
    d.advance();
    expect(d.observe(tweet(T0 + 59_000, 'joy'))).toBe('late');
    expect(d.stats()).toMatchObject({ accepted: 4, late: 1, openWindows: 1 });
  });

  it('an event late by less than the lateness still counts towards the spike', () => {
    const { detector: d } = detector({ allowedLatenessMs: 30_000 });
    feed(d, Array.from({ length: 15 }, (_, m) => minuteOf(m, 100, 10)).flat());
    const spike = minuteOf(15, 100, 15);
    feed(d, spike);
    // 10 more angry tweets of minute 15 arrive after minute 16 has begun, 20 s late: still counted.
    const late = Array.from({ length: 10 }, (_, i) => tweet(T0 + 15 * MINUTE + 59_000 - i, 'anger'));
    feed(d, [tweet(T0 + 16 * MINUTE + 10_000, 'joy'), ...late]);
    const alerts = feed(d, minuteOf(17, 100, 10));
    expect(alerts.map((a) => [a.windowStart, a.count])).toEqual([[T0 + 15 * MINUTE, 25]]);
  });

  it('closes the last window after the stream goes idle, by the injected clock', () => {
    const { detector: d, clock } = detector({ idleAdvanceMs: 10_000 });
    feed(d, Array.from({ length: 15 }, (_, m) => minuteOf(m, 100, 10)).flat());
    expect(feed(d, minuteOf(15, 100, 50))).toEqual([]);
    clock.time += 5_000;
    expect(d.advance()).toEqual([]); // not idle long enough
    clock.time += 60_000;
    expect(d.advance().map((a) => a.windowStart)).toEqual([T0 + 15 * MINUTE]);
    expect(d.advance()).toEqual([]); // a window closes once
  });

  it('alerts per language with its own baseline when grouping by lang', () => {
    const { detector: d } = detector({ groupBy: ['all', 'lang'] });
    const quiet = Array.from({ length: 15 }, (_, m) => [
      ...minuteOf(m, 100, 10, { lang: 'en' }),
      ...minuteOf(m, 100, 10, { lang: 'es' }),
    ]).flat();
    feed(d, quiet);
    // Spanish spikes (45 % anger), English stays at 10 %: overall 27.5 % = 2.75x, Spanish 4.5x.
    feed(d, [...minuteOf(15, 100, 10, { lang: 'en' }), ...minuteOf(15, 100, 45, { lang: 'es' })]);
    const alerts = feed(d, minuteOf(16, 100, 10, { lang: 'en' }));
    expect(alerts.map((a) => a.id)).toEqual([
      `anger@${new Date(T0 + 15 * MINUTE).toISOString()}`,
      `anger[lang=es]@${new Date(T0 + 15 * MINUTE).toISOString()}`,
    ]);
    expect(alerts[1]).toMatchObject({ groupBy: 'lang', groupKey: 'es', count: 45, total: 100 });
  });

  it('groups by hashtag case-insensitively and counts a tweet in each of its hashtags', () => {
    const { detector: d } = detector({ groupBy: ['hashtag'], rules: [{ label: 'fear', minCount: 10 }] });
    feed(d, Array.from({ length: 15 }, (_, m) => minuteOf(m, 20, 0, { hashtags: ['Storm'] })).flat());
    const spike = Array.from({ length: 20 }, (_, i) =>
      tweet(T0 + 15 * MINUTE + i * 1000, i < 12 ? 'fear' : 'joy', { hashtags: ['#storm', 'news'] }),
    );
    feed(d, spike);
    const alerts = feed(d, minuteOf(16, 20, 0, { hashtags: ['storm'] }));
    // "news" has no baseline (below minBaselineEvents); "storm" had 0 % fear, floored at 1 %.
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      label: 'fear',
      groupBy: 'hashtag',
      groupKey: 'storm',
      count: 12,
      total: 20,
      baselineShare: 0.01,
    });
    expect(alerts[0].ratio).toBeCloseTo(60);
  });

  it('gives the same alerts whatever the order of events inside the lateness (replicas agree)', () => {
    const events = [
      ...Array.from({ length: 15 }, (_, m) => minuteOf(m, 100, 10)).flat(),
      ...minuteOf(15, 100, 40),
      ...minuteOf(16, 100, 10),
      ...minuteOf(17, 100, 10),
      ...minuteOf(18, 100, 10),
    ];
    const run = (ordered: ObservedEmotion[]) => {
      const { detector: d } = detector({ allowedLatenessMs: MINUTE });
      const out = [];
      for (let i = 0; i < ordered.length; i += 50) out.push(...feed(d, ordered.slice(i, i + 50)));
      return out;
    };
    // Swap neighbours in chunks of 10: out of order by a few seconds, as two partitions interleave.
    const shuffled = events.map((e, i) => events[i % 10 < 5 ? i + 5 : i - 5] ?? e);
    const a = run(events);
    const b = run(shuffled);
    expect(a.map((x) => [x.id, x.count, x.sampleTweetIds])).toEqual(
      b.map((x) => [x.id, x.count, x.sampleTweetIds]),
    );
    expect(a).toHaveLength(1);
  });

  it('rejects invalid settings with a ConfigError naming the field', () => {
    expect(() => spikeDetectorOptions({ windowMs: -1 })).toThrow(ConfigError);
    expect(() => spikeDetectorOptions({ rules: [{ label: 'anger', minRatio: 0.5 }] })).toThrow(
      /rules\.0\.minRatio/,
    );
    expect(() => spikeDetectorOptions({ rules: [{ label: 'anger' }, { label: 'anger' }] })).toThrow(
      /two rules/,
    );
  });
});
