import type { Consumer, Kafka } from 'kafkajs';
import type { EmotionAlert, TweetEmotion } from '../../core';

/** Everything the demo saw on the output and alert topics. */
export interface LiveCounts {
  enriched: number;
  byLabel: Map<string, number>;
  alerts: EmotionAlert[];
  firstOutputAt?: number;
  lastOutputAt?: number;
}

export interface LiveViewOptions {
  kafka: Kafka;
  groupId: string;
  outputTopic: string;
  alertTopic: string;
  decodeOutput: (value: Buffer) => Promise<TweetEmotion>;
  decodeAlert: (value: Buffer) => EmotionAlert;
  print: (line: string) => void;
  /** Print every n-th enriched event (all alerts are printed). */
  printEvery?: number;
}

const COLOURS: Record<string, string> = {
  sadness: '\x1b[34m',
  joy: '\x1b[33m',
  love: '\x1b[35m',
  anger: '\x1b[31m',
  fear: '\x1b[32m',
  surprise: '\x1b[36m',
};

function colour(label: string, text: string, tty: boolean): string {
  return tty ? `${COLOURS[label] ?? ''}${text}\x1b[0m` : text;
}

function eventLine(event: TweetEmotion, tty: boolean): string {
  const text = event.text.length > 90 ? `${event.text.slice(0, 87)}...` : event.text;
  return `  ${colour(event.emotion.label, event.emotion.label.padEnd(8), tty)} ${event.emotion.score.toFixed(2)}  ${text}`;
}

export function alertLine(alert: EmotionAlert, tty: boolean): string {
  const window = `${new Date(alert.windowStart).toISOString().slice(11, 19)}-${new Date(alert.windowEnd).toISOString().slice(11, 19)}`;
  return colour(
    'anger',
    `  ALERT ${alert.label} spike in ${window} (event time): ${alert.count}/${alert.total} tweets = ${(alert.share * 100).toFixed(0)}% ` +
      `vs baseline ${(alert.baselineShare * 100).toFixed(1)}% (x${alert.ratio.toFixed(1)}); samples: ${alert.sampleTweetIds.slice(0, 3).join(', ')}`,
    tty,
  );
}

/** Follows the output and alert topics from the beginning, printing as events arrive. */
export async function startLiveView(
  options: LiveViewOptions,
): Promise<{ counts: LiveCounts; stop(): Promise<void> }> {
  const tty = Boolean(process.stdout.isTTY);
  const printEvery = options.printEvery ?? 1;
  const counts: LiveCounts = { enriched: 0, byLabel: new Map(), alerts: [] };
  const consumer: Consumer = options.kafka.consumer({ groupId: options.groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.outputTopic, options.alertTopic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      if (!message.value) return;
      if (topic === options.alertTopic) {
        const alert = options.decodeAlert(message.value);
        if (counts.alerts.some((seen) => seen.id === alert.id)) return;
        counts.alerts.push(alert);
        options.print(alertLine(alert, tty));
        return;
      }
      const event = await options.decodeOutput(message.value);
      counts.enriched++;
      counts.byLabel.set(event.emotion.label, (counts.byLabel.get(event.emotion.label) ?? 0) + 1);
      counts.firstOutputAt ??= Date.now();
      counts.lastOutputAt = Date.now();
      if (counts.enriched % printEvery === 0) options.print(eventLine(event, tty));
    },
  });
  return { counts, stop: () => consumer.disconnect() };
}
