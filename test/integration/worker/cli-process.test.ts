import { startWorker } from '../../../src/apps/worker';
import type { WorkerConfig } from '../../../src/config/worker-config';
import {
  committedOffsets,
  duplicates,
  OutputReader,
  seedInput,
  spawnWorkerProcess,
  testLogger,
  testWorkerConfig,
  waitFor,
  type TestTopics,
  type WorkerProcess,
} from './worker-harness';

// The real `emotion-stream worker` process: SIGTERM exits 0 after committing only what is in the
// output; SIGKILL in exactly-once mode followed by a takeover shows each input once to a
// read_committed reader.
const EVENTS = Number(process.env.WORKER_CLI_EVENTS ?? 1_200);

jest.setTimeout(240_000);

// Small chunks so a signal lands mid-stream, with work in flight.
const spawnWorker = (topics: TestTopics, env: Record<string, string>): WorkerProcess =>
  spawnWorkerProcess(topics, { PIPELINE_CHUNK_SIZE: '50', ...env });

/** For each partition, every input offset below the committed one must be in the output. */
function expectCommittedAreInOutput(committed: Map<number, string>, reader: OutputReader): void {
  for (const [partition, offset] of committed) {
    const below = new Set(
      reader.events
        .filter(
          (item) =>
            item.event.sourcePartition === partition && BigInt(item.event.sourceOffset) < BigInt(offset),
        )
        .map((item) => item.event.sourceOffset),
    );
    expect({ partition, inOutput: below.size }).toEqual({ partition, inOutput: Number(offset) });
  }
}

test('SIGTERM: the worker process finishes its chunk, commits only what is in the output and exits 0', async () => {
  const { kafka, topics, codec } = await seedInput('cli-term', { partitions: 2, events: EVENTS });
  const reader = new OutputReader(kafka, topics.output, codec);
  const worker = spawnWorker(topics, { SHUTDOWN_TIMEOUT_MS: '20000' });
  try {
    await waitFor(
      () => /worker started/.test(worker.output()),
      () => `the worker to start:\n${worker.output()}`,
      120_000,
    );
    await reader.start();
    await reader.waitForCount(100);
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    expect({ ...exit, output: exit.code === 0 ? '' : worker.output() }).toEqual({
      code: 0,
      signal: null,
      output: '',
    });
  } finally {
    worker.child.kill('SIGKILL');
  }
  // Let the reader catch up with whatever the worker wrote before exiting, then check the invariant.
  const committed = await committedOffsets(kafka, topics.group, topics.input);
  const total = [...committed.values()].reduce((sum, offset) => sum + Math.max(0, Number(offset)), 0);
  await reader.waitForCount(total);
  await reader.stop();
  expect(total).toBeGreaterThan(0);
  expectCommittedAreInOutput(committed, reader);
  expect(duplicates(reader.events.map((item) => item.event.id))).toEqual([]);
});

test('exactly-once: a worker killed with SIGKILL mid-stream and a successor give each input once to read_committed', async () => {
  const { kafka, topics, codec, tweets } = await seedInput('cli-eos', { partitions: 2, events: EVENTS });
  const uncommitted = new OutputReader(kafka, topics.output, codec, false);
  // A short session: the group notices the dead member sooner, so the successor takes over sooner.
  const killed = spawnWorker(topics, { EXACTLY_ONCE: 'true', KAFKA_SESSION_TIMEOUT_MS: '6000' });
  try {
    await waitFor(
      () => /worker started/.test(killed.output()),
      () => `the worker to start:\n${killed.output()}`,
      120_000,
    );
    await uncommitted.start();
    await uncommitted.waitForCount(150);
    killed.child.kill('SIGKILL');
    await killed.exited;
  } finally {
    killed.child.kill('SIGKILL');
    await uncommitted.stop();
  }

  // The successor joins the same group with the same transactional ids: it fences the dead
  // producers (aborting their open transaction) and resumes from the committed offsets.
  const config: WorkerConfig = testWorkerConfig(topics, { EXACTLY_ONCE: 'true', PIPELINE_CHUNK_SIZE: '50' });
  const successor = await startWorker(config, { logger: testLogger(), env: {} });
  const reader = new OutputReader(kafka, topics.output, codec, true);
  try {
    await reader.start();
    await waitFor(
      () => new Set(reader.events.map((item) => item.event.id)).size >= EVENTS,
      () => `every event committed (have ${reader.events.length})`,
    );
    // Give a duplicate, if there were one, the time to show up.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  } finally {
    expect(await successor.worker.stop()).toBe(true);
    await reader.stop();
  }
  const ids = reader.events.map((item) => item.event.id);
  expect(duplicates(ids)).toEqual([]);
  expect(new Set(ids)).toEqual(new Set(tweets.map((tweet) => tweet.id)));
});
