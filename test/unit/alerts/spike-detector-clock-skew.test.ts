import { OncePerInterval } from '../../../src/alerts/once-per-interval';
import type { ObservedEmotion } from '../../../src/alerts/observed-emotion';
import { SpikeDetector } from '../../../src/alerts/spike-detector';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const clock = {
  time: T0,
  now() {
    return this.time;
  },
};
let seq = 0;
const at = (createdAt: number, label = 'joy'): ObservedEmotion => {
  seq += 1;
  return { id: `t${seq}`, createdAt, lang: null, hashtags: [], emotion: { label, score: 0.9 } };
};

/** A quiet baseline then an anger spike, all in event time around the wall clock. */
function spikeStream(): ObservedEmotion[] {
  const events: ObservedEmotion[] = [];
  for (let minute = 0; minute < 18; minute += 1) {
    const angry = minute === 16 ? 40 : 6;
    for (let i = 0; i < 60; i += 1)
      events.push(at(T0 + minute * MINUTE + i * 1_000, i < angry ? 'anger' : 'joy'));
  }
  return events;
}

describe('SpikeDetector clock-skew window', () => {
  beforeEach(() => {
    clock.time = T0 + 18 * MINUTE;
    seq = 0;
  });

  it('ignores and counts times far ahead of the wall clock (a bad clock, microseconds), times long past and non-times', () => {
    const d = new SpikeDetector({ maxFutureSkewMs: 5 * MINUTE, maxEventAgeMs: 60 * MINUTE }, clock);
    expect(d.observe(at(clock.time * 1000))).toBe('future');
    expect(d.observe(at(clock.time + 5 * MINUTE + 1))).toBe('future');
    expect(d.observe(at(clock.time + 5 * MINUTE))).toBe('accepted');
    expect(d.observe(at(Math.floor(clock.time / 1000)))).toBe('past');
    expect(d.observe(at(clock.time - 60 * MINUTE - 1))).toBe('past');
    expect(d.observe(at(Number.NaN))).toBe('invalid');
    expect(d.observe(at(2 ** 60))).toBe('invalid');
    expect(d.stats()).toMatchObject({ accepted: 1, late: 0, skewed: { future: 2, past: 2, invalid: 2 } });
  });

  it('a record from the far future neither moves the watermark nor silences the spike after it', () => {
    const d = new SpikeDetector({ allowedLatenessMs: 5_000 }, clock);
    const stream = spikeStream();
    // The poisoned record sits early in the stream, in the same source as the real events.
    stream.splice(100, 0, at(T0 * 1000, 'anger'));
    const alerts = [];
    // Windows close as the service's tick runs: between the minutes of the stream.
    for (let start = 0; start < stream.length; start += 60) {
      for (const event of stream.slice(start, start + 60)) d.observe(event, '0');
      alerts.push(...d.advance());
    }
    clock.time += 11_000; // idle: the clock closes the last windows
    alerts.push(...d.advance());
    expect(alerts.map((alert) => alert.windowStart)).toEqual([T0 + 16 * MINUTE]);
    expect(d.stats()).toMatchObject({ late: 0, skewed: { future: 1, past: 0, invalid: 0 } });
    expect(d.stats().watermark).toBeLessThan(clock.time);
  });

  it('a partition that delivers only skewed records does not hold the others back', () => {
    const d = new SpikeDetector({ allowedLatenessMs: 0, idleAdvanceMs: 10_000 }, clock);
    d.observe(at(T0 + 17 * MINUTE), '0');
    d.observe(at(0), '1');
    d.advance();
    expect(d.stats().watermark).toBe(T0 + 17 * MINUTE);
  });
});

describe('OncePerInterval', () => {
  it('reports the first occurrence, then one per interval with the count since the last report', () => {
    const manual = { time: 0, now: () => manual.time };
    const limiter = new OncePerInterval(60_000, manual);
    expect(limiter.note()).toBe(1);
    expect(limiter.note()).toBeUndefined();
    manual.time = 59_999;
    expect(limiter.note()).toBeUndefined();
    manual.time = 60_000;
    expect(limiter.note()).toBe(3);
    expect(limiter.note()).toBeUndefined();
  });
});
