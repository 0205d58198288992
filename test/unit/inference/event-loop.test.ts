import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { InferenceEngine } from '../../../src/inference';
import { TINY_MODEL_DIR } from './fixture-dir';

// onnxruntime-node's run() blocks the thread that calls it for the whole run. The engine runs
// sessions in worker threads; this proves the main event loop stays responsive while batches run.
//
// The machine is shared and noisy (an idle loop alone has shown 100 ms hiccups under load), so the
// measurement is repeated up to 5 times and the best attempt must pass. That keeps the test
// decisive: each run is calibrated to take >= 150 ms, so an implementation that blocked the loop
// would show >= 150 ms in every attempt.
describe('event loop while inference runs', () => {
  let engine: InferenceEngine;
  beforeAll(async () => {
    engine = await InferenceEngine.load({ modelDir: TINY_MODEL_DIR });
  });
  afterAll(async () => engine.close());

  async function timedRun(batch: number[][]): Promise<number> {
    const started = performance.now();
    await engine.inferBatch(batch);
    return performance.now() - started;
  }

  it('keeps the main loop max delay <= 50 ms while batches run', async () => {
    // Full-length (128-token) texts; grow the batch until one run takes >= 150 ms.
    const text = 'i feel so wonderful and happy today because everything is great '.repeat(20);
    let batch = Array.from({ length: 64 }, () => engine.encode(text));
    expect(batch[0]).toHaveLength(128);
    let runMs = await timedRun(batch);
    while (runMs < 150 && batch.length < 8192) {
      batch = [...batch, ...batch];
      runMs = await timedRun(batch);
    }

    const attempts: number[] = [];
    while (attempts.length < 5 && !attempts.some((delay) => delay <= 50)) {
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      histogram.enable();
      // Two batches in flight, so the worker never idles during the measurement.
      for (let i = 0; i < 2; i += 1) await Promise.all([engine.inferBatch(batch), engine.inferBatch(batch)]);
      histogram.disable();
      attempts.push(histogram.max / 1e6);
    }
    process.stderr.write(
      `event loop: batches of ${batch.length}x128 taking ~${runMs.toFixed(0)} ms each; max delay per attempt: ${attempts.map((d) => d.toFixed(1)).join(', ')} ms\n`,
    );
    expect(Math.min(...attempts)).toBeLessThanOrEqual(50);
  });
});
