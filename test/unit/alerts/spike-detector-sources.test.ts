import { SpikeDetector } from '../../../src/alerts/spike-detector';
import type { ObservedEmotion } from '../../../src/alerts/observed-emotion';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const clock = {
  time: T0,
  now() {
    return this.time;
  },
};
const at = (createdAt: number, id = `t${createdAt}`): ObservedEmotion => ({
  id,
  createdAt,
  lang: null,
  hashtags: [],
  emotion: { label: 'joy', score: 0.5 },
});

describe('SpikeDetector watermark across sources (partitions)', () => {
  beforeEach(() => {
    clock.time = T0;
  });

  it('waits for the slowest live partition, so its older events are not late', () => {
    const d = new SpikeDetector({ allowedLatenessMs: 0, idleAdvanceMs: 10_000 }, clock);
    d.observe(at(T0 + 5 * MINUTE), '0'); // partition 0 is five minutes ahead
    d.observe(at(T0 + 10_000), '1');
    d.advance();
    expect(d.stats().watermark).toBe(T0 + 10_000);
    expect(d.observe(at(T0 + 20_000), '1')).toBe('accepted');
  });

  it('an idle partition stops holding the watermark back', () => {
    const d = new SpikeDetector({ allowedLatenessMs: 0, idleAdvanceMs: 10_000 }, clock);
    d.observe(at(T0 + 10_000), '1');
    clock.time += 11_000;
    d.observe(at(T0 + 3 * MINUTE), '0');
    d.advance();
    expect(d.stats().watermark).toBe(T0 + 3 * MINUTE);
    expect(d.observe(at(T0 + 20_000), '1')).toBe('late');
  });

  it('a partition known to be behind holds the watermark however long it was silent; one that never delivered stops it', () => {
    const d = new SpikeDetector({ allowedLatenessMs: 0, idleAdvanceMs: 10_000 }, clock);
    d.observe(at(T0 + MINUTE), '1');
    clock.time += 60_000;
    d.observe(at(T0 + 5 * MINUTE), '0');
    d.advance(new Set(['1']));
    expect(d.stats().watermark).toBe(T0 + MINUTE);
    expect(d.advance(new Set(['1', '2']))).toEqual([]);
    expect(d.stats().watermark).toBe(T0 + MINUTE);
    d.advance();
    expect(d.stats().watermark).toBe(T0 + 5 * MINUTE);
  });

  it('never moves the watermark back', () => {
    const d = new SpikeDetector({ allowedLatenessMs: 0, idleAdvanceMs: 10_000 }, clock);
    d.observe(at(T0 + 2 * MINUTE), '0');
    d.advance();
    d.observe(at(T0 + 3 * MINUTE), '0');
    d.observe(at(T0 + 2 * MINUTE + 5_000), '1'); // a new partition behind the watermark
    d.advance();
    expect(d.stats().watermark).toBe(T0 + 2 * MINUTE + 5_000);
    d.observe(at(T0 + 2 * MINUTE + 1_000), '2');
    d.advance();
    expect(d.stats().watermark).toBe(T0 + 2 * MINUTE + 5_000);
  });
});
