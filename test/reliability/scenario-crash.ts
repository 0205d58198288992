import {
  OutputReader,
  seedInput,
  spawnWorkerProcess,
  waitFor,
  type TestTopics,
  type WorkerProcess,
} from '../integration/worker/worker-harness';
import { account, openStore, waitUntilAccounted, type ScenarioRow } from './reliability-harness';

const CHUNK_SIZE = 50;
const PARTITIONS = 2;

function spawnWorker(topics: TestTopics): WorkerProcess {
  return spawnWorkerProcess(
    topics,
    {
      PIPELINE_CHUNK_SIZE: String(CHUNK_SIZE),
      // A killed replica holds its partitions until its session expires; keep that short.
      KAFKA_SESSION_TIMEOUT_MS: '8000',
    },
    { keepOutputChars: 20_000 },
  );
}

/**
 * Starts a worker process and, like a supervisor (Kubernetes) would, starts it again if it exits
 * before it is running (e.g. a metadata error while the broker is busy); gives up after 3 tries.
 */
async function startSupervised(topics: TestTopics): Promise<WorkerProcess> {
  let failures = '';
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const worker = spawnWorker(topics);
    let exited = false;
    void worker.exited.then(() => (exited = true));
    await waitFor(
      () => exited || /worker started/.test(worker.output()),
      () => `the worker to start:\n${worker.output()}`,
      180_000,
    );
    if (!exited) return worker;
    failures += `attempt ${attempt}:\n${worker.output()}\n`;
  }
  throw new Error(`the worker did not start in 3 attempts:\n${failures}`);
}

/**
 * b. The worker process is killed with SIGKILL while chunks are in flight, `kills` times, and
 * restarted each time: nothing is missing; duplicates are counted and bounded by one in-flight chunk
 * per partition per crash.
 */
export async function crashScenario(events: number, kills: number): Promise<ScenarioRow> {
  const { kafka, topics, codec } = await seedInput('rel-crash', { partitions: PARTITIONS, events });
  const reader = new OutputReader(kafka, topics.output, codec);
  const { store, close } = openStore(topics.dlq);
  let current: WorkerProcess | undefined;
  let readerStarted = false;
  try {
    for (let kill = 0; kill <= kills; kill += 1) {
      const worker = await startSupervised(topics);
      current = worker;
      if (!readerStarted) {
        await reader.start();
        readerStarted = true;
      }
      if (kill === kills) break;
      // Kill it once it is producing: some chunks written, others in flight.
      const before = reader.events.length;
      await waitFor(
        () => reader.events.length >= before + CHUNK_SIZE,
        () => `output from worker ${kill + 1}:\n${worker.output()}`,
        180_000,
      );
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    await waitUntilAccounted(kafka, topics.input, reader, store);
    const { row, overlap } = await account(
      `b. SIGKILL x${kills} + restart`,
      kafka,
      topics.input,
      reader,
      store,
    );
    expect(overlap).toBe(0);
    expect(row.missing).toBe(0);
    expect(row.dlq).toBe(0);
    expect(row.duplicates).toBeLessThanOrEqual(kills * CHUNK_SIZE * PARTITIONS);
    return row;
  } finally {
    current?.child.kill('SIGTERM');
    await current?.exited;
    await reader.stop();
    await close();
  }
}
