import type { TweetEmotion } from '../../src/core';

export const EMOTION_LABELS = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'] as const;
export const MINUTE = 60_000;

/** An enriched event as the worker writes it; scores put most weight on `label`. */
export function enrichedEvent(
  id: string,
  createdAt: number,
  label: string,
  extra: Partial<TweetEmotion> = {},
): TweetEmotion {
  const scores: Record<string, number> = {};
  for (const name of EMOTION_LABELS) scores[name] = name === label ? 0.75 : 0.05;
  return {
    id,
    text: `test tweet ${id} (${label})`,
    createdAt,
    lang: 'en',
    userId: null,
    hashtags: [],
    emotion: { label, score: 0.75, scores },
    modelName: 'test-model',
    modelVersion: '0',
    processedAt: createdAt + 50,
    sourceTopic: 'tweets',
    sourcePartition: 0,
    sourceOffset: '0',
    ...extra,
  };
}

/**
 * `perMinute` events in each minute of [fromMinute, toMinute) after `t0`; in minutes listed in
 * `spikes`, `spikeAngry` of them are anger, else `angry`. The rest cycle through the other labels.
 */
export function minutesOfEvents(
  t0: number,
  fromMinute: number,
  toMinute: number,
  options: { perMinute: number; angry: number; spikes?: number[]; spikeAngry?: number; idPrefix?: string },
): TweetEmotion[] {
  const events: TweetEmotion[] = [];
  const others = EMOTION_LABELS.filter((label) => label !== 'anger');
  for (let minute = fromMinute; minute < toMinute; minute += 1) {
    const angry = options.spikes?.includes(minute) ? (options.spikeAngry ?? options.angry) : options.angry;
    for (let i = 0; i < options.perMinute; i += 1) {
      const label = i < angry ? 'anger' : others[i % others.length];
      const createdAt = t0 + minute * MINUTE + Math.floor((i * MINUTE) / options.perMinute);
      events.push(enrichedEvent(`${options.idPrefix ?? 'e'}-${minute}-${i}`, createdAt, label));
    }
  }
  return events;
}
