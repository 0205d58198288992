import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatTable, SIZE, type ScenarioRow } from './reliability-harness';
import { crashScenario } from './scenario-crash';
import { brokerOutageScenario, redisOutageScenario } from './scenario-outages';
import { poisonScenario } from './scenario-poison';
import { replayScenario } from './scenario-replay';

// Issue 6's no-loss guarantee, on the real Kafka and Redis. Scenarios run in order; the ones that
// stop a shared service come last and always restart it. Sizes: see SIZE (RELIABILITY_FULL=1 = full).
jest.setTimeout(600_000);

const rows: ScenarioRow[] = [];

afterAll(() => {
  if (rows.length === 0) return;
  const table = formatTable(rows);
  process.stdout.write(`\nreliability suite (${JSON.stringify(SIZE)}):\n${table}\n`);
  const dir = path.resolve(__dirname, '..', '..', 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'reliability-table.md'), `${table}\n`);
});

test(`a. ${SIZE.events} events with poison mixed in: output + DLQ = input`, async () => {
  rows.push(await poisonScenario(SIZE.events));
});

test(`b. the worker process killed with SIGKILL ${SIZE.kills} times mid-stream and restarted (${SIZE.streamEvents} events)`, async () => {
  rows.push(await crashScenario(SIZE.streamEvents, SIZE.kills));
});

test(`e. dlq replay drains the DLQ into the output once the cause is fixed (${SIZE.streamEvents} events)`, async () => {
  rows.push(await replayScenario(SIZE.streamEvents));
});

// These two stop a shared service (scripts/services stop) and always start it again.
test(`d. Redis stopped for ${SIZE.redisOutageMs / 1000} s while poison arrives (${SIZE.streamEvents} events)`, async () => {
  rows.push(await redisOutageScenario(SIZE.streamEvents, SIZE.redisOutageMs));
});

test(`c. the broker stopped and restarted mid-stream (${SIZE.streamEvents} events)`, async () => {
  rows.push(await brokerOutageScenario(SIZE.streamEvents));
});
