// Codec throughput: raw-mode decode (with validation) and encode, and the cost of the strict checks.
// Run: npm run bench:codec   (prints figures; record them in BENCHMARKS.md with date and machine)
// With SCHEMA_REGISTRY_URL set (e.g. from `scripts/services env`), Confluent-format rows are added.
import { createCodec, loadSchema, TWEET_SCHEMA_PATH, tweetToRecord } from '../src/codec';
import type { Envelope, Tweet, TweetEmotion } from '../src/core';
import { enrich } from '../src/pipeline/enrich';

const N = Number(process.env.BENCH_N ?? 200_000);

function tweetAt(i: number): Tweet {
  return {
    id: `bench-${i}`,
    text: `i feel ${i % 2 ? 'wonderful' : 'a bit lost'} today, number ${i} — with some accents éà and an emoji 🎉`,
    createdAt: 1_700_000_000_000 + i,
    lang: 'en',
    userId: `u${i % 1000}`,
    userName: null,
    source: 'bench',
    hashtags: ['mood'],
    attributes: { run: 'bench' },
  };
}

const MODEL = { name: 'emotion-minilm-l6', version: '1', labels: ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'] };
const RESULT = {
  label: 'joy',
  score: 0.9,
  scores: { sadness: 0.02, joy: 0.9, love: 0.02, anger: 0.02, fear: 0.02, surprise: 0.02 },
};

// The output event the worker would write, built by the worker's own enrich().
function eventOf(tweet: Tweet, i: number): TweetEmotion {
  const source = { topic: 'tweets', partition: i % 4, offset: String(i), timestamp: '0', key: null, value: null, headers: {} };
  return enrich(source, tweet, RESULT, MODEL, tweet.createdAt + 5);
}

async function timed(name: string, run: () => Promise<void>): Promise<void> {
  const started = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `${name.padEnd(44)} ${Math.round(N / seconds)
      .toLocaleString('en-US')
      .padStart(10)} msg/s  (${N} in ${seconds.toFixed(2)} s)\n`,
  );
}

async function main(): Promise<void> {
  const codec = await createCodec({ inputTopic: 'bench-in', outputTopic: 'bench-out' });
  const type = loadSchema(TWEET_SCHEMA_PATH).type;
  const values = Array.from({ length: 1000 }, (_, i) => type.toBuffer(tweetToRecord(tweetAt(i))));
  const envelopes: Envelope[] = values.map((value, i) => ({
    topic: 'bench-in',
    partition: 0,
    offset: String(i),
    timestamp: '0',
    key: null,
    value,
    headers: {},
  }));
  const events = Array.from({ length: 1000 }, (_, i) => eventOf(tweetAt(i), i));

  process.stdout.write(`node ${process.version}, ${N} messages per row, raw Avro\n`);
  await timed('avsc fromBuffer alone (no checks)', async () => {
    for (let i = 0; i < N; i++) type.fromBuffer(values[i % 1000]);
  });
  await timed('decoder.decode (exact length, UTF-8, rules)', async () => {
    for (let i = 0; i < N; i++) await codec.decoder.decode(envelopes[i % 1000]);
  });
  await timed('encoder.encode (isValid + toBuffer)', async () => {
    for (let i = 0; i < N; i++) await codec.encoder.encode(events[i % 1000]);
  });
  await timed('tweetEncoder.encode', async () => {
    for (let i = 0; i < N; i++) await codec.tweetEncoder.encode(tweetAt(i % 1000));
  });

  const registryUrl = process.env.SCHEMA_REGISTRY_URL;
  if (!registryUrl) return;
  const suffix = Date.now().toString(36);
  const confluent = await createCodec({
    schemaRegistryUrl: registryUrl,
    inputTopic: `bench-in-${suffix}`,
    outputTopic: `bench-out-${suffix}`,
  });
  const framed: Envelope[] = [];
  for (let i = 0; i < 1000; i++)
    framed.push({ ...envelopes[i], value: await confluent.tweetEncoder.encode(tweetAt(i)) });
  process.stdout.write(
    `Confluent wire format, registry ${registryUrl} (schemas cached after the first message)\n`,
  );
  await timed('confluent decoder.decode', async () => {
    for (let i = 0; i < N; i++) await confluent.decoder.decode(framed[i % 1000]);
  });
  await timed('confluent encoder.encode', async () => {
    for (let i = 0; i < N; i++) await confluent.encoder.encode(events[i % 1000]);
  });
}

void main();
