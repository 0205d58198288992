import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { kafkaBrokers, uniqueName } from '../../support/services';

// Issue 2: the real broker started by scripts/services handles what the worker relies on —
// admin-created partitioned topics, keyed production, a consumer group that splits partitions,
// per-key order, committed offsets and resumption after a restart.
const PARTITIONS = 4;
const MESSAGES = 1_000;
const KEYS = 50;

const kafka = new Kafka({ clientId: 'foundation-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });

interface Received {
  member: string;
  key: string;
  seq: number;
  partition: number;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function produce(topic: string, from: number, count: number): Promise<void> {
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const messages = Array.from({ length: count }, (_, i) => {
    const seq = from + i;
    return { key: `key-${seq % KEYS}`, value: JSON.stringify({ seq }) };
  });
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

function startMember(topic: string, groupId: string, member: string, sink: Received[]): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  return (async () => {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }: EachMessagePayload) => {
        const { seq } = JSON.parse(message.value!.toString()) as { seq: number };
        sink.push({ member, key: message.key!.toString(), seq, partition });
      },
    });
    return consumer;
  })();
}

describe('real Kafka broker', () => {
  const topic = uniqueName('foundation');
  const groupId = uniqueName('foundation-group');
  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a topic with 4 partitions through the admin client', async () => {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0].partitions).toHaveLength(PARTITIONS);
  });

  it('delivers 1 000 keyed messages to a 2-member group exactly once, in per-key order, and resumes from committed offsets', async () => {
    await produce(topic, 0, MESSAGES);

    const received: Received[] = [];
    const members = await Promise.all([
      startMember(topic, groupId, 'a', received),
      startMember(topic, groupId, 'b', received),
    ]);
    try {
      await waitFor(() => received.length >= MESSAGES, `${MESSAGES} messages`);
      // Give a late duplicate (e.g. from a rebalance replay) a chance to show up before judging.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      await Promise.all(members.map((consumer) => consumer.disconnect()));
    }

    const seqs = received.map((r) => r.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: MESSAGES }, (_, i) => i));
    expect(new Set(received.map((r) => r.member))).toEqual(new Set(['a', 'b']));
    expect(new Set(received.map((r) => r.partition)).size).toBe(PARTITIONS);

    const byKey = new Map<string, number[]>();
    for (const r of received) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.seq]);
    for (const [key, keySeqs] of byKey) {
      expect({ key, ordered: keySeqs }).toEqual({ key, ordered: [...keySeqs].sort((x, y) => x - y) });
      // One key lives on one partition, so it has one consumer at a time.
      expect(new Set(received.filter((r) => r.key === key).map((r) => r.partition)).size).toBe(1);
    }

    // A restarted member of the same group starts after the committed offsets: it sees only new messages.
    await produce(topic, MESSAGES, 100);
    const resumed: Received[] = [];
    const restarted = await startMember(topic, groupId, 'c', resumed);
    try {
      await waitFor(() => resumed.length >= 100, 'the 100 messages produced after the restart');
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await restarted.disconnect();
    }
    expect(resumed.map((r) => r.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 100 }, (_, i) => MESSAGES + i),
    );
  });
});
