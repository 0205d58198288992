import { DEFAULT_LABELS, LiveState } from '../../../src/dashboard/live-state';
import type { EmotionAlert } from '../../../src/core';
import { enrichedEvent } from '../../support/emotion-events';

const T = Date.UTC(2026, 0, 1, 12);

function alert(id: string, windowStart: number): EmotionAlert {
  return {
    id,
    label: 'anger',
    groupBy: null,
    groupKey: null,
    windowStart,
    windowEnd: windowStart + 60_000,
    count: 30,
    total: 60,
    share: 0.5,
    baselineShare: 0.1,
    baselineTotal: 900,
    baselineStart: windowStart - 900_000,
    ratio: 5,
    minRatio: 2,
    minCount: 20,
    sampleTweetIds: [],
    detectedAt: windowStart + 90_000,
  };
}

describe('LiveState', () => {
  it('shows all six labels with zero rates before the first event', () => {
    const state = new LiveState();
    const snapshot = state.snapshot(T);
    expect(snapshot.labels).toEqual([...DEFAULT_LABELS]);
    expect(snapshot.stats).toMatchObject({
      totalEvents: 0,
      throughput: 0,
      consumerLag: null,
      eventDelayMs: null,
    });
    expect(state.tick(T).rates).toEqual(Object.fromEntries(DEFAULT_LABELS.map((label) => [label, 0])));
  });

  it('turns per-second counts into smoothed per-label rates and keeps the history', () => {
    const state = new LiveState({ smoothingSeconds: 2, historySeconds: 3 });
    for (let i = 0; i < 4; i += 1) state.record(enrichedEvent(`a${i}`, T - 1_500, 'anger'), T);
    state.record(enrichedEvent('j', T - 500, 'joy'), T);
    expect(state.tick(T).rates).toMatchObject({ anger: 2, joy: 0.5, fear: 0 });
    expect(state.tick(T + 1000).rates).toMatchObject({ anger: 2, joy: 0.5 });
    expect(state.tick(T + 2000).rates).toMatchObject({ anger: 0, joy: 0 });
    state.tick(T + 3000);
    const snapshot = state.snapshot(T + 3000);
    expect(snapshot.history.map((point) => point.t)).toEqual([T / 1000 + 1, T / 1000 + 2, T / 1000 + 3]);
    expect(snapshot.stats).toMatchObject({ totalEvents: 5, eventDelayMs: 3500 });
  });

  it('keeps the newest samples per label and adds labels it did not know', () => {
    const state = new LiveState({ samplesPerLabel: 2 });
    for (const id of ['1', '2', '3']) state.record(enrichedEvent(id, T, 'fear'), T);
    state.record(enrichedEvent('x', T, 'disgust'), T);
    const snapshot = state.snapshot(T);
    expect(snapshot.samples.fear.map((s) => s.id)).toEqual(['3', '2']);
    expect(snapshot.labels).toContain('disgust');
  });

  it('shows an alert id once (replicas and replays may repeat it), newest window first', () => {
    const state = new LiveState({ maxAlerts: 2 });
    expect(state.addAlert(alert('a', T))).toBe(true);
    expect(state.addAlert(alert('a', T))).toBe(false);
    state.addAlert(alert('c', T + 120_000));
    state.addAlert(alert('b', T + 60_000));
    expect(state.snapshot(T).alerts.map((a) => a.id)).toEqual(['c', 'b']);
  });

  it('shows the share not classified, per language: the largest three, the rest as other', () => {
    const state = new LiveState();
    expect(state.snapshot(0).stats.notClassified).toEqual({ count: 0, share: 0, languages: [] });
    for (let n = 0; n < 12; n += 1) state.record(enrichedEvent(String(n), 0, 'joy'), 0);
    const languages = ['es', 'es', 'es', 'ja', 'ja', 'ar', 'ko', 'sw', null];
    for (const language of languages) state.recordUnclassified({ language });
    expect(state.snapshot(0).stats.notClassified).toEqual({
      count: 9,
      share: 0.4286,
      languages: [
        { language: 'es', share: 0.1429 },
        { language: 'ja', share: 0.0952 },
        // ar, ko and none tie at one each: alphabetical; ko, sw (other) and none are summed as other.
        { language: 'ar', share: 0.0476 },
        { language: 'other', share: 0.1429 },
      ],
    });
  });
});
