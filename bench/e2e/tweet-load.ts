import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import type { TweetEncoder } from '../../src/codec';
import type { Tweet } from '../../src/core';
import { textAt } from './bench-texts';
import { wallClockMs, type PhaseRecord } from './output-tracker';

/** The input tweets of the benchmark: minimal events (what a firehose producer sends), keyed by id. */
export interface TweetLoad {
  producer: Producer;
  encoder: TweetEncoder;
  topic: string;
  texts: readonly string[];
}

export async function connectLoadProducer(kafka: Kafka): Promise<Producer> {
  // Not idempotent and acks=1: the harness's own sends should add as little as possible to the timings.
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  return producer;
}

function tweetOf(record: PhaseRecord, seq: number, texts: readonly string[], createdAt: number): Tweet {
  return {
    id: record.idOf(seq),
    text: textAt(texts, seq),
    createdAt,
    lang: 'en',
    userId: null,
    userName: null,
    source: 'bench-e2e',
    hashtags: [],
    attributes: {},
  };
}

async function send(
  load: TweetLoad,
  record: PhaseRecord,
  from: number,
  to: number,
  acks: number,
): Promise<void> {
  const stamp = Math.floor(wallClockMs());
  const messages: Message[] = [];
  for (let seq = from; seq < to; seq += 1) {
    const tweet = tweetOf(record, seq, load.texts, stamp);
    messages.push({ key: tweet.id, value: await load.encoder.encode(tweet), timestamp: String(stamp) });
    record.sentAt[seq] = stamp;
  }
  // The shared broker gets restarted by other people's failure tests; a long run rides that out (the
  // tweets keep their first send stamp, so the outage shows up in the latency figures).
  for (let attempt = 1; ; attempt += 1) {
    try {
      await load.producer.send({ topic: load.topic, acks, messages });
      return;
    } catch (error) {
      if (attempt >= 60) throw error;
      process.stderr.write(
        `send failed (${error instanceof Error ? error.message : String(error)}); retrying in 2 s\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

/** Publishes `count` tweets as fast as the broker takes them (before the worker starts). */
export async function preload(
  load: TweetLoad,
  record: PhaseRecord,
  count: number,
  onProgress?: (sent: number) => void,
): Promise<void> {
  const requestSize = 1_000;
  for (let from = 0; from < count; from += requestSize) {
    await send(load, record, from, Math.min(count, from + requestSize), -1);
    onProgress?.(Math.min(count, from + requestSize));
  }
}

/**
 * Offers `rate` tweets/s for `seconds`: every tick (5 ms) it sends what the schedule says is due by
 * now, in one request, so the average rate holds even when timers fire late. Each tweet's due time
 * (start + seq / rate) is kept next to its actual send time. Resolves with the number sent.
 */
export async function producePaced(
  load: TweetLoad,
  record: PhaseRecord,
  rate: number,
  seconds: number,
  onTick?: (sent: number, elapsedS: number) => void,
): Promise<number> {
  const total = Math.min(record.capacity, Math.floor(rate * seconds));
  const startedAt = wallClockMs();
  for (let seq = 0; seq < total; seq += 1) record.dueAt[seq] = startedAt + (seq * 1000) / rate;
  let sent = 0;
  while (sent < total) {
    const elapsed = wallClockMs() - startedAt;
    const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1);
    if (due > sent) {
      await send(load, record, sent, due, 1);
      sent = due;
      onTick?.(sent, elapsed / 1000);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return sent;
}
