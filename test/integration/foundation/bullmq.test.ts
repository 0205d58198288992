import { Queue, Worker, QueueEvents, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { redisUrl, uniqueName } from '../../support/services';

// Issue 2: a BullMQ job goes through the real Redis started by scripts/services.
describe('real Redis with BullMQ', () => {
  const name = uniqueName('foundation-queue');
  const connection = new IORedis(redisUrl(), { maxRetriesPerRequest: null });

  afterAll(async () => {
    const queue = new Queue(name, { connection });
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  });

  it('adds a job and processes it with a worker', async () => {
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection: new IORedis(redisUrl(), { maxRetriesPerRequest: null }) });
    await events.waitUntilReady();
    const worker = new Worker(
      name,
      async (job: Job<{ text: string }>) => ({ upper: job.data.text.toUpperCase(), attempt: job.attemptsMade }),
      { connection: new IORedis(redisUrl(), { maxRetriesPerRequest: null }) },
    );
    try {
      const job = await queue.add('shout', { text: 'hello redis' });
      const result = (await job.waitUntilFinished(events, 20_000)) as { upper: string };
      expect(result.upper).toBe('HELLO REDIS');
      expect(await queue.getJobCounts('completed', 'failed')).toEqual({ completed: 1, failed: 0 });
    } finally {
      await worker.close();
      await events.close();
      await queue.close();
    }
  });
});
