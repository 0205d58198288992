// Throughput of the worker with the language gate off and on, in one run, over the same input (issue 19).
// Two inputs, each preloaded once into its own topic and read by every run with a fresh group:
//   english-nolang  English tweets without `lang`: the detector runs on every tweet and every tweet is still
//                   classified, so on/off isolates what detection costs;
//   mixed-nolang    the hand-written 17-language corpus (test/fixtures/languages) without `lang`: the gate also
//                   spares the model the tweets it cannot read.
// Runs alternate off/on (ROUNDS times) so a change of load on a shared machine hits both settings.
// Progress on stderr; a table on stdout; the LAST stdout line is one JSON object.
//   npm run bench:language-gate -- [--events N] [--rounds R] [--model DIR]
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { createCodec } from '../src/codec';
import { DEFAULT_MODEL_DIR } from '../src/config/defaults';
import { fromPackageRoot } from '../src/config/package-root';
import { loadWorkerConfig } from '../src/config/worker-config';
import type { Tweet } from '../src/core';
import { startWorker } from '../src/apps/worker';
import { loadBenchTexts } from './e2e/bench-texts';
import { machineLine } from './e2e/report';

const flags = new Command('bench:language-gate')
  .description(
    'Worker throughput with LANGUAGE_GATE=false and true over the same English and mixed-language inputs.',
  )
  .option('--events <n>', 'tweets per input (env BENCH_EVENTS)', process.env.BENCH_EVENTS ?? '3000')
  .option('--rounds <n>', 'off/on pairs per input', '2')
  .option('--model <dir>', 'model folder (env MODEL_DIR)', process.env.MODEL_DIR ?? DEFAULT_MODEL_DIR)
  .option('--partitions <n>', 'input topic partitions', '4')
  .parse()
  .opts<{ events: string; rounds: string; model: string; partitions: string }>();

const events = Number(flags.events);
const rounds = Number(flags.rounds);
const partitions = Number(flags.partitions);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const kafka = new Kafka({ clientId: 'bench-language-gate', brokers, logLevel: logLevel.NOTHING });
const suffix = Date.now().toString(36);
const log = (line: string) => process.stderr.write(`${line}\n`);

function tweets(texts: readonly string[], prefix: string): Tweet[] {
  return Array.from({ length: events }, (_, n) => ({
    id: `${prefix}-${n}`,
    text: texts[n % texts.length],
    createdAt: Date.now(),
    lang: null,
    userId: null,
    userName: null,
    source: 'bench',
    hashtags: [],
    attributes: {},
  }));
}

async function preload(topic: string, input: readonly Tweet[]): Promise<void> {
  const codec = await createCodec({ inputTopic: topic, outputTopic: `${topic}.unused` });
  const producer = kafka.producer();
  await producer.connect();
  for (let start = 0; start < input.length; start += 500) {
    const messages = await Promise.all(
      input
        .slice(start, start + 500)
        .map(async (tweet) => ({ key: tweet.id, value: await codec.tweetEncoder.encode(tweet) })),
    );
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

interface RunResult {
  input: string;
  gate: boolean;
  classified: number;
  unclassified: number;
  /** From the first to the last record placed (output + unclassified): the steady-state rate. */
  steadyPerSecond: number;
  /** From the worker's start (model load included) to the last record placed. */
  totalSeconds: number;
}

/** One worker run over `topic` with a fresh group; counts the records in both destinations until all arrived. */
async function run(input: string, topic: string, gate: boolean, index: number): Promise<RunResult> {
  const name = `bench-lang-${suffix}-${input}-${gate ? 'on' : 'off'}-${index}`;
  const config = loadWorkerConfig({
    KAFKA_BROKERS: brokers.join(','),
    REDIS_URL: process.env.REDIS_URL,
    INPUT_TOPIC: topic,
    OUTPUT_TOPIC: `${name}-out`,
    GROUP_ID: `${name}-group`,
    DLQ_QUEUE: `${name}-dlq`,
    MODEL_DIR: flags.model,
    LANGUAGE_GATE: String(gate),
    HTTP_PORT: '0',
  });
  const counts = { classified: 0, unclassified: 0 };
  let first = 0;
  let last = 0;
  const reader = kafka.consumer({ groupId: `${name}-reader`, maxWaitTimeInMs: 100 });
  const started = Date.now();
  const { worker } = await startWorker(config, { logger: pino({ level: 'warn' }), env: {} });
  try {
    await reader.connect();
    await reader.subscribe({ topics: [config.outputTopic, config.unclassifiedTopic], fromBeginning: true });
    await reader.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        if (first === 0) first = now;
        last = now;
        counts[batch.topic === config.outputTopic ? 'classified' : 'unclassified'] += batch.messages.length;
      },
    });
    const deadline = Date.now() + 600_000;
    while (counts.classified + counts.unclassified < events) {
      if (Date.now() > deadline)
        throw new Error(
          `${name}: only ${counts.classified + counts.unclassified} of ${events} records arrived`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await reader.disconnect();
    await worker.stop();
  }
  const result = {
    input,
    gate,
    ...counts,
    steadyPerSecond: Math.round(events / Math.max(0.001, (last - first) / 1000)),
    totalSeconds: Math.round((last - started) / 100) / 10,
  };
  log(
    `  ${input} gate ${gate ? 'on ' : 'off'}: ${result.steadyPerSecond}/s steady, ${result.totalSeconds} s in all, classified ${counts.classified}, not ${counts.unclassified}`,
  );
  return result;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<void> {
  log(`machine: ${machineLine()}`);
  log(`model ${flags.model}, ${events} tweets per input, ${rounds} off/on rounds, ${partitions} partitions`);
  const english = loadBenchTexts();
  const mixed = readFileSync(fromPackageRoot('test', 'fixtures', 'languages', 'tweets.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { text: string }).text);
  const inputs = [
    { input: 'english-nolang', texts: english.texts },
    { input: 'mixed-nolang', texts: mixed },
  ];
  const admin = kafka.admin();
  await admin.connect();
  const results: RunResult[] = [];
  const created: string[] = [];
  try {
    for (const { input, texts } of inputs) {
      const topic = `bench-lang-${suffix}-${input}`;
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      });
      created.push(topic);
      await preload(topic, tweets(texts, input));
      for (let round = 0; round < rounds; round += 1)
        for (const gate of round % 2 === 0 ? [false, true] : [true, false])
          results.push(await run(input, topic, gate, round));
    }
  } finally {
    const topics = await admin.listTopics();
    await admin
      .deleteTopics({ topics: topics.filter((topic) => topic.startsWith(`bench-lang-${suffix}`)) })
      .catch(() => undefined);
    await admin.disconnect();
  }
  const summary = inputs.map(({ input }) => {
    const rate = (gate: boolean) =>
      median(results.filter((r) => r.input === input && r.gate === gate).map((r) => r.steadyPerSecond));
    const sample = results.find((r) => r.input === input && r.gate)!;
    const off = rate(false);
    const on = rate(true);
    return {
      input,
      offPerSecond: off,
      onPerSecond: on,
      onOverOff: Math.round((on / off) * 1000) / 1000,
      notClassifiedShare: Math.round((sample.unclassified / events) * 1000) / 1000,
    };
  });
  process.stdout.write(
    '| input | gate off (tweets/s, median) | gate on | on / off | not classified with the gate |\n| --- | --- | --- | --- | --- |\n',
  );
  for (const row of summary)
    process.stdout.write(
      `| ${row.input} | ${row.offPerSecond} | ${row.onPerSecond} | ${row.onOverOff} | ${(row.notClassifiedShare * 100).toFixed(1)} % |\n`,
    );
  process.stdout.write(
    `${JSON.stringify({ machine: machineLine(), model: flags.model, events, rounds, runs: results, summary })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:language-gate failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
