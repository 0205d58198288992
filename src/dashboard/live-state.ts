import type { EmotionAlert, TweetEmotion, TweetUnclassified } from '../core';
import { languageLabel } from '../telemetry/metrics';

/** The six labels of the default model (dair-ai/emotion), shown before the first event arrives. */
export const DEFAULT_LABELS = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'] as const;

export interface LiveStateOptions {
  /** Labels drawn from the start; labels seen later are added. @defaultValue DEFAULT_LABELS */
  labels?: readonly string[];
  /** Points of history (one per second) kept for new viewers. @defaultValue 300 */
  historySeconds?: number;
  /** Rates are averaged over this many seconds, so the lines do not jitter. @defaultValue 5 */
  smoothingSeconds?: number;
  /** Latest tweets kept per label. @defaultValue 3 */
  samplesPerLabel?: number;
  /** Latest alerts kept. @defaultValue 20 */
  maxAlerts?: number;
  /** Languages named in the not-classified breakdown; the rest are summed as `other`. @defaultValue 3 */
  topLanguages?: number;
}

/** The tweets the worker did not classify (the unclassified topic), as a share of all it decided. */
export interface NotClassified {
  count: number;
  /** count / (count + classified events); 0 before anything arrived. */
  share: number;
  /** The largest languages' shares of all tweets (same denominator), largest first, then `other`. */
  languages: Array<{ language: string; share: number }>;
}

export interface SampleTweet {
  id: string;
  text: string;
  score: number;
  createdAt: number;
  lang: string | null;
}

export interface LiveStats {
  /** Events per second over the smoothing window. */
  throughput: number;
  totalEvents: number;
  /** Messages behind the ends of the output and unclassified topics, summed over partitions; null until known. */
  consumerLag: number | null;
  /** now - created_at of the newest event, ms; null before the first event. */
  eventDelayMs: number | null;
  alerts: number;
  lastEventAt: number | null;
  notClassified: NotClassified;
}

export interface Tick {
  t: number;
  /** Events per second per label (smoothed). */
  rates: Record<string, number>;
  stats: LiveStats;
  samples: Record<string, SampleTweet[]>;
}

export interface Snapshot {
  labels: string[];
  history: Array<{ t: number; rates: Record<string, number> }>;
  alerts: EmotionAlert[];
  samples: Record<string, SampleTweet[]>;
  stats: LiveStats;
}

/**
 * What the dashboard shows, kept in memory: per-second counts per label, latest samples and
 * alerts, throughput and lag. Time comes from the caller (`tick(now)`), so it is testable.
 */
export class LiveState {
  private readonly labels: string[];
  private readonly historySeconds: number;
  private readonly smoothingSeconds: number;
  private readonly samplesPerLabel: number;
  private readonly maxAlerts: number;
  private readonly topLanguages: number;
  /** Not-classified tweets per (bounded) language label since the start. */
  private readonly unclassifiedByLanguage = new Map<string, number>();
  private unclassifiedTotal = 0;
  /** Counts of the second being filled. */
  private current = new Map<string, number>();
  private readonly recentSeconds: Array<Map<string, number>> = [];
  private readonly history: Array<{ t: number; rates: Record<string, number> }> = [];
  private readonly samples = new Map<string, SampleTweet[]>();
  private readonly alerts: EmotionAlert[] = [];
  private totalEvents = 0;
  private alertCount = 0;
  private consumerLag: number | null = null;
  private newestCreatedAt: number | null = null;
  private lastEventAt: number | null = null;

  constructor(options: LiveStateOptions = {}) {
    this.labels = [...(options.labels ?? DEFAULT_LABELS)];
    this.historySeconds = options.historySeconds ?? 300;
    this.smoothingSeconds = options.smoothingSeconds ?? 5;
    this.samplesPerLabel = options.samplesPerLabel ?? 3;
    this.maxAlerts = options.maxAlerts ?? 20;
    this.topLanguages = options.topLanguages ?? 3;
  }

  /** Counts one tweet the worker did not classify, under its language (a bounded label: top languages, other, none). */
  recordUnclassified(event: Pick<TweetUnclassified, 'language'>): void {
    const label = languageLabel(event.language);
    this.unclassifiedByLanguage.set(label, (this.unclassifiedByLanguage.get(label) ?? 0) + 1);
    this.unclassifiedTotal += 1;
  }

  /** Counts one enriched event; `now` is when it arrived. */
  record(event: TweetEmotion, now: number): void {
    const label = event.emotion.label;
    if (!this.labels.includes(label)) this.labels.push(label);
    this.current.set(label, (this.current.get(label) ?? 0) + 1);
    this.totalEvents += 1;
    this.lastEventAt = now;
    this.newestCreatedAt = Math.max(this.newestCreatedAt ?? event.createdAt, event.createdAt);
    const list = this.samples.get(label) ?? [];
    list.unshift({
      id: event.id,
      text: event.text.slice(0, 280),
      score: event.emotion.score,
      createdAt: event.createdAt,
      lang: event.lang,
    });
    if (list.length > this.samplesPerLabel) list.length = this.samplesPerLabel;
    this.samples.set(label, list);
  }

  /** Keeps an alert unless one with the same id is already shown (replicas and replays repeat ids). */
  addAlert(alert: EmotionAlert): boolean {
    if (this.alerts.some((known) => known.id === alert.id)) return false;
    this.alerts.unshift(alert);
    this.alerts.sort((a, b) => b.windowStart - a.windowStart || b.detectedAt - a.detectedAt);
    if (this.alerts.length > this.maxAlerts) this.alerts.length = this.maxAlerts;
    this.alertCount += 1;
    return true;
  }

  setConsumerLag(lag: number): void {
    this.consumerLag = lag;
  }

  /** Closes the current second (call once per second) and returns the point to broadcast. */
  tick(now: number): Tick {
    this.recentSeconds.push(this.current);
    this.current = new Map();
    if (this.recentSeconds.length > this.smoothingSeconds) this.recentSeconds.shift();
    const rates: Record<string, number> = {};
    for (const label of this.labels) {
      let sum = 0;
      for (const second of this.recentSeconds) sum += second.get(label) ?? 0;
      rates[label] = round(sum / this.smoothingSeconds);
    }
    const t = Math.floor(now / 1000);
    this.history.push({ t, rates });
    if (this.history.length > this.historySeconds) this.history.shift();
    return { t, rates, stats: this.stats(now), samples: this.sampleRecord() };
  }

  snapshot(now: number): Snapshot {
    return {
      labels: [...this.labels],
      history: [...this.history],
      alerts: [...this.alerts],
      samples: this.sampleRecord(),
      stats: this.stats(now),
    };
  }

  private stats(now: number): LiveStats {
    let recent = 0;
    for (const second of this.recentSeconds) for (const count of second.values()) recent += count;
    return {
      throughput: round(recent / this.smoothingSeconds),
      totalEvents: this.totalEvents,
      consumerLag: this.consumerLag,
      eventDelayMs: this.newestCreatedAt === null ? null : Math.max(0, now - this.newestCreatedAt),
      alerts: this.alertCount,
      lastEventAt: this.lastEventAt,
      notClassified: this.notClassified(),
    };
  }

  private notClassified(): NotClassified {
    const all = this.unclassifiedTotal + this.totalEvents;
    const share = (count: number) => (all === 0 ? 0 : round4(count / all));
    const ranked = [...this.unclassifiedByLanguage].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const named = ranked.filter(([language]) => language !== 'other').slice(0, this.topLanguages);
    const rest = this.unclassifiedTotal - named.reduce((sum, [, count]) => sum + count, 0);
    const languages = named.map(([language, count]) => ({ language, share: share(count) }));
    if (rest > 0) languages.push({ language: 'other', share: share(rest) });
    return { count: this.unclassifiedTotal, share: share(this.unclassifiedTotal), languages };
  }

  private sampleRecord(): Record<string, SampleTweet[]> {
    const out: Record<string, SampleTweet[]> = {};
    for (const label of this.labels) out[label] = [...(this.samples.get(label) ?? [])];
    return out;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
