import { KafkaUnavailableError, PoisonMessageError, type Envelope } from '../../../src/core';
import { toDeadLetterEntry, type DeadLetterEntry } from '../../../src/dlq/dead-letter-entry';
import type { OutgoingRecord, RecordPublisher } from '../../../src/dlq/record-publisher';
import { replayDeadLetters, type ReplayableStore } from '../../../src/dlq/replay';

// Replay's ordering rule (publish, acknowledged, then remove) checked with an in-memory store and a
// publisher that can be made to fail; the real Redis + Kafka path is in test/integration/dlq/.
class MemoryStore implements ReplayableStore {
  readonly entries = new Map<string, DeadLetterEntry>();
  async list(start = 0, end = -1) {
    const all = [...this.entries.values()];
    return end < 0 ? all.slice(start) : all.slice(start, end + 1);
  }
  async count() {
    return this.entries.size;
  }
  async get(id: string) {
    return this.entries.get(id);
  }
  async remove(id: string) {
    return this.entries.delete(id);
  }
}

class Publisher implements RecordPublisher {
  readonly published: OutgoingRecord[] = [];
  constructor(private readonly failAfter = Infinity) {}
  async publish(records: OutgoingRecord[]) {
    if (this.published.length + records.length > this.failAfter)
      throw new KafkaUnavailableError('broker gone');
    this.published.push(...records);
  }
  async close() {}
}

function storeWith(count: number): MemoryStore {
  const store = new MemoryStore();
  for (let offset = 0; offset < count; offset += 1) {
    const envelope: Envelope = {
      topic: 'tweets',
      partition: 0,
      offset: String(offset),
      timestamp: '0',
      key: Buffer.from(`k${offset}`),
      value: Buffer.from([offset]),
      headers: { h: Buffer.from('v') },
    };
    const entry = toDeadLetterEntry(envelope, new PoisonMessageError('NOT_AVRO', 'x'), 1, undefined, 0);
    store.entries.set(entry.id, entry);
  }
  return store;
}

/** `topic:partition:offset` of ids (the fingerprint suffix is checked in dead-letter-entry.test.ts). */
const coordinates = (ids: readonly string[]) => ids.map((id) => id.replace(/-[0-9a-f]{12}$/, ''));

describe('replayDeadLetters', () => {
  it('publishes the original bytes in chunks and removes each entry after its chunk was acknowledged', async () => {
    const store = storeWith(5);
    const publisher = new Publisher();
    const progress: number[] = [];
    const report = await replayDeadLetters(store, publisher, {
      all: true,
      chunkSize: 2,
      onProgress: (n) => progress.push(n),
    });
    expect(report.missing).toEqual([]);
    expect(report.error).toBeUndefined();
    expect(coordinates(report.replayed)).toEqual([
      'tweets:0:0',
      'tweets:0:1',
      'tweets:0:2',
      'tweets:0:3',
      'tweets:0:4',
    ]);
    expect(progress).toEqual([2, 4, 5]);
    expect(publisher.published[3]).toEqual({
      topic: 'tweets',
      key: Buffer.from('k3'),
      value: Buffer.from([3]),
      headers: { h: Buffer.from('v') },
    });
    expect(store.entries.size).toBe(0);
  });

  it('keeps every entry whose publish was not acknowledged, and stops there', async () => {
    const store = storeWith(5);
    const report = await replayDeadLetters(store, new Publisher(2), {
      all: true,
      chunkSize: 2,
      topic: 'elsewhere',
    });
    expect(coordinates(report.replayed)).toEqual(['tweets:0:0', 'tweets:0:1']);
    expect(report.error).toBeInstanceOf(KafkaUnavailableError);
    expect(coordinates([...store.entries.keys()])).toEqual(['tweets:0:2', 'tweets:0:3', 'tweets:0:4']);
  });

  it('replays only the requested ids and reports the missing ones', async () => {
    const store = storeWith(3);
    const publisher = new Publisher();
    const second = [...store.entries.keys()][2];
    const report = await replayDeadLetters(store, publisher, {
      ids: [second, 'tweets:0:9'],
      topic: 'other',
    });
    expect(report).toEqual({ replayed: [second], missing: ['tweets:0:9'] });
    expect(publisher.published.map((record) => record.topic)).toEqual(['other']);
    expect(store.entries.size).toBe(2);
  });

  it('--all reads bounded pages and stops after the entries it found, even if new ones arrive', async () => {
    const store = storeWith(5);
    const pages: Array<[number, number]> = [];
    const list = store.list.bind(store);
    store.list = async (start = 0, end = -1) => {
      pages.push([start, end]);
      return list(start, end);
    };
    let arrived = 0;
    const publisher = new Publisher();
    const publish = publisher.publish.bind(publisher);
    // Each publish makes one new dead letter (the replayed record failing again in a broken worker).
    publisher.publish = async (records) => {
      await publish(records);
      const entry = storeWith(100 + arrived + 1).entries;
      const last = [...entry.values()].pop()!;
      store.entries.set(last.id, last);
      arrived += 1;
    };
    const report = await replayDeadLetters(store, publisher, { all: true, chunkSize: 1, pageSize: 2 });
    expect(report.error).toBeUndefined();
    expect(coordinates(report.replayed)).toEqual([
      'tweets:0:0',
      'tweets:0:1',
      'tweets:0:2',
      'tweets:0:3',
      'tweets:0:4',
    ]);
    expect(pages.every(([start, end]) => start === 0 && end >= 0 && end <= 1)).toBe(true);
    expect(store.entries.size).toBe(arrived);
  });

  it('cuts requests by bytes as well as by count, so large records never make one over the broker limit', async () => {
    const store = new MemoryStore();
    for (let offset = 0; offset < 5; offset += 1) {
      const envelope: Envelope = {
        topic: 'tweets',
        partition: 0,
        offset: String(offset),
        timestamp: '0',
        key: null,
        value: Buffer.alloc(400_000, offset),
        headers: {},
      };
      const entry = toDeadLetterEntry(
        envelope,
        new PoisonMessageError('TEXT_TOO_LONG', 'x'),
        1,
        undefined,
        0,
      );
      store.entries.set(entry.id, entry);
    }
    const requests: number[] = [];
    const publisher = new Publisher();
    const publish = publisher.publish.bind(publisher);
    publisher.publish = async (records) => {
      requests.push(records.reduce((sum, record) => sum + (record.value?.length ?? 0), 0));
      await publish(records);
    };
    const report = await replayDeadLetters(store, publisher, { all: true });
    expect(report.replayed).toHaveLength(5);
    expect(requests).toEqual([800_000, 800_000, 400_000]);
  });
});
