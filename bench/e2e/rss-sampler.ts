import { slope } from './stats';

export interface RssTrend {
  /** [seconds since start, RSS MiB] once a second. */
  samples: Array<[number, number]>;
  startMiB: number;
  endMiB: number;
  maxMiB: number;
  /** Mean RSS of the first and the last fifth of the run. */
  firstFifthMiB: number;
  lastFifthMiB: number;
  /** Least-squares slope over the second half of the run (after warm-up), MiB per minute. */
  secondHalfSlopeMiBPerMin: number;
}

const mib = (bytes: number) => bytes / 2 ** 20;

/** Samples the whole process's RSS (main thread, session worker threads, native ONNX memory) once a second. */
export function sampleRss(intervalMs = 1_000): { stop(): RssTrend } {
  const started = Date.now();
  const samples: Array<[number, number]> = [[0, mib(process.memoryUsage.rss())]];
  const timer = setInterval(
    () => samples.push([(Date.now() - started) / 1000, mib(process.memoryUsage.rss())]),
    intervalMs,
  );
  return {
    stop() {
      clearInterval(timer);
      samples.push([(Date.now() - started) / 1000, mib(process.memoryUsage.rss())]);
      const values = samples.map(([, value]) => value);
      const fifth = Math.max(1, Math.floor(samples.length / 5));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const half = samples.slice(Math.floor(samples.length / 2));
      return {
        samples,
        startMiB: values[0],
        endMiB: values[values.length - 1],
        maxMiB: Math.max(...values),
        firstFifthMiB: mean(values.slice(0, fifth)),
        lastFifthMiB: mean(values.slice(-fifth)),
        secondHalfSlopeMiBPerMin: slope(
          half.map(([t]) => t / 60),
          half.map(([, v]) => v),
        ),
      };
    },
  };
}
