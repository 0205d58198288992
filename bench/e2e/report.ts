import { availableParallelism, cpus, loadavg } from 'node:os';
import type { E2eResult } from './run-e2e';
import { round } from './stats';

// Text output of the benchmark: tables for stdout (and BENCHMARKS.md), the final JSON line.

const f0 = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(0);
const f2 = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(2);

export function machineLine(): string {
  const [one, five] = loadavg();
  return `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), load average ${one.toFixed(1)} / ${five.toFixed(1)} (1 / 5 min), node ${process.version}, ${new Date().toISOString()}`;
}

/** One run in full: every figure the JSON line summarises, and the ones behind it. */
export function runTable(r: E2eResult): string {
  const rows: Array<[string, string]> = [
    [
      'settings',
      `BATCH_MAX_SIZE ${r.batchMaxSize}, BATCH_MAX_WAIT_MS ${r.batchMaxWaitMs}, PIPELINE_CHUNK_SIZE ${r.chunkSize}, PARTITION_CONCURRENCY ${r.partitionConcurrency}`,
    ],
    [
      'e2e throughput (worker ready to last output)',
      `${f0(r.e2eTweetsPerS)} tweets/s over ${r.events} preloaded tweets (first to last output: ${f0(r.firstToLastTweetsPerS)}/s)`,
    ],
    [
      'e2e throughput (from worker start)',
      `${f0(r.fromStartTweetsPerS)} tweets/s (start took ${r.startupS.toFixed(1)} s: model load + group join)`,
    ],
    ['bare batched inference', `${f0(r.bareTweetsPerS)} tweets/s (runs: ${r.bareRuns.map(f0).join(', ')})`],
    ['ratio e2e / bare', f2(r.ratio)],
    [
      'CPU per tweet: e2e vs bare',
      `process ${f0(r.cpuPerTweetUs.e2eProcess)} vs ${f0(r.cpuPerTweetUs.bareProcess)} µs, main thread ${f0(r.cpuPerTweetUs.e2eMainThread)} vs ${f0(r.cpuPerTweetUs.bareMainThread)} µs`,
    ],
    [
      'main thread, throughput phase',
      `${f0(r.throughputCpu.mainThreadMs)} ms on a core, ${f0(r.throughputCpu.mainThreadWaitMs)} ms runnable but waiting for one`,
    ],
    [
      'event-loop delay, throughput phase',
      `max ${f0(r.throughputLoop.maxMs)} ms, p99 ${f0(r.throughputLoop.p99Ms)} ms`,
    ],
  ];
  const p = r.paced;
  if (p) {
    const pct = (x: { p50: number; p95: number; p99: number; max: number }) =>
      `p50 ${f0(x.p50)} / p95 ${f0(x.p95)} / p99 ${f0(x.p99)} / max ${f0(x.max)} ms`;
    rows.push(
      ['paced phase', `${f0(p.offeredPerS)} tweets/s offered, ${p.sent} sent, ${p.received} out`],
      ['latency (received - input timestamp)', pct(p.latencyMs)],
      ['latency (received - scheduled time)', pct(p.scheduledLatencyMs)],
      ['latency (worker output stamp - input)', pct(p.workerLatencyMs)],
      ['event-loop delay, paced phase', `max ${f0(p.loop.maxMs)} ms, p99 ${f0(p.loop.p99Ms)} ms`],
      [
        'RSS, paced phase',
        `start ${f0(p.rss.startMiB)} MiB, end ${f0(p.rss.endMiB)}, max ${f0(p.rss.maxMiB)}; first fifth ${f0(p.rss.firstFifthMiB)} -> last fifth ${f0(p.rss.lastFifthMiB)} MiB; second-half slope ${f2(p.rss.secondHalfSlopeMiBPerMin)} MiB/min`,
      ],
    );
  }
  rows.push(['duplicates / unknown outputs', `${r.duplicates} / ${r.unknownOutputs}`]);
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    `| ${'measurement'.padEnd(width)} | value`,
    `|${'-'.repeat(width + 2)}|------`,
    ...rows.map(([name, value]) => `| ${name.padEnd(width)} | ${value}`),
  ].join('\n');
}

/** The sweep: one row per setting. */
export function sweepTable(results: readonly E2eResult[]): string {
  const header =
    '| setting | batch | wait ms | chunk | e2e tweets/s | bare tweets/s | e2e/bare | CPU µs/tweet e2e | CPU µs/tweet bare | CPU bare/e2e | offered/s | p50 ms | p95 ms | p99 ms | loop max ms |';
  const rule = '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|';
  const lines = results.map(
    (r) =>
      `| ${r.label} | ${r.batchMaxSize} | ${r.batchMaxWaitMs} | ${r.chunkSize} | ${f0(r.e2eTweetsPerS)} | ${f0(r.bareTweetsPerS)} | ${f2(r.ratio)} | ${f0(r.cpuPerTweetUs.e2eProcess)} | ${f0(r.cpuPerTweetUs.bareProcess)} | ${f2(r.cpuPerTweetUs.bareProcess / r.cpuPerTweetUs.e2eProcess)} | ${f0(r.paced?.offeredPerS)} | ${f0(r.paced?.latencyMs.p50)} | ${f0(r.paced?.latencyMs.p95)} | ${f0(r.paced?.latencyMs.p99)} | ${f0(Math.max(r.throughputLoop.maxMs, r.paced?.loop.maxMs ?? 0))} |`,
  );
  return [header, rule, ...lines].join('\n');
}

/** The contract of `npm run bench:e2e`: its last stdout line. */
export function jsonLine(r: E2eResult): string {
  return JSON.stringify({
    e2e_tweets_per_s: round(r.e2eTweetsPerS),
    bare_tweets_per_s: round(r.bareTweetsPerS),
    ratio: round(r.ratio, 3),
    p50_ms: round(r.paced?.latencyMs.p50 ?? Number.NaN),
    p95_ms: round(r.paced?.latencyMs.p95 ?? Number.NaN),
    p99_ms: round(r.paced?.latencyMs.p99 ?? Number.NaN),
  });
}
