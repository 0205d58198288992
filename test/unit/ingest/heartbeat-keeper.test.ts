import { keepHeartbeating } from '../../../src/ingest/heartbeat-keeper';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('heartbeats on a timer while a batch runs, and stops when told', async () => {
  let beats = 0;
  const keeper = keepHeartbeating(async () => {
    beats += 1;
  }, 5);
  while (beats < 2) await tick(5);
  keeper.stop();
  const seen = beats;
  await tick(30);
  expect(beats).toBe(seen);
  expect(keeper.failure()).toBeUndefined();
});

test('keeps the first heartbeat failure (a rebalance) for the batch loop and stops beating', async () => {
  let beats = 0;
  const rebalance = new Error('The group is rebalancing, so a rejoin is needed');
  const keeper = keepHeartbeating(async () => {
    beats += 1;
    throw rebalance;
  }, 5);
  while (keeper.failure() === undefined) await tick(5);
  await tick(30);
  keeper.stop();
  expect(keeper.failure()).toBe(rebalance);
  expect(beats).toBe(1);
});
