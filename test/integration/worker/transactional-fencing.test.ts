import pino from 'pino';
import { createTransactionalOutput } from '../../../src/egress/transactional-output';
import { uniqueName } from '../../support/services';
import { committedOffsets, createTopic, testKafka } from './worker-harness';

// Zombie fencing in exactly-once mode: the transactional id belongs to the input partition, so
// whoever acquires the partition last fences the previous owner, whose next transaction fails.
jest.setTimeout(120_000);

test('the replica that acquires a partition last fences the previous owner', async () => {
  const kafka = testKafka();
  const input = uniqueName('fence-in');
  const output = uniqueName('fence-out');
  const groupId = uniqueName('fence-group');
  await createTopic(kafka, input, 1);
  await createTopic(kafka, output, 1);
  const options = {
    kafka,
    groupId,
    transactionalIdPrefix: groupId,
    logger: pino({ level: 'silent' }),
  };
  const zombie = createTransactionalOutput(options);
  const owner = createTransactionalOutput(options);
  const record = (key: string) => ({ topic: output, key, value: Buffer.from(key) });
  try {
    await zombie.acquire(input, 0);
    await zombie.commit({ inputTopic: input, partition: 0, records: [record('a')], nextOffset: '1' });
    await owner.acquire(input, 0);

    await expect(
      zombie.commit({ inputTopic: input, partition: 0, records: [record('zombie')], nextOffset: '2' }),
    ).rejects.toThrow();
    expect(zombie.isAcquired(input, 0)).toBe(false);
    await owner.commit({ inputTopic: input, partition: 0, records: [record('b')], nextOffset: '2' });
  } finally {
    await zombie.close();
    await owner.close();
  }

  // A read_committed reader sees the owner's records and never the zombie's.
  const seen: string[] = [];
  const reader = kafka.consumer({
    groupId: uniqueName('fence-reader'),
    readUncommitted: false,
    maxWaitTimeInMs: 200,
  });
  await reader.connect();
  await reader.subscribe({ topic: output, fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void seen.push(String(message.key)) });
  const deadline = Date.now() + 30_000;
  while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await reader.disconnect();
  expect(seen).toEqual(['a', 'b']);
  expect(await committedOffsets(kafka, groupId, input)).toEqual(new Map([[0, '2']]));
});
