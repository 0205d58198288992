import { AssignerProtocol } from 'kafkajs';
import type { Cluster } from 'kafkajs';
import { singleActiveAssigner } from '../../../src/kafka/single-active-assigner';

const cluster = {
  findTopicPartitionMetadata: (topic: string) =>
    (topic === 'out' ? [0, 1, 2] : [0]).map((partitionId) => ({ partitionId })),
} as unknown as Cluster;

function member(memberId: string, startedAt: number, active: boolean) {
  const assigner = singleActiveAssigner({ startedAt, isActive: () => active })({
    cluster,
    groupId: 'g',
    logger: undefined as never,
  });
  return { memberId, memberMetadata: assigner.protocol({ topics: ['out'] }).metadata };
}

async function assign(members: ReturnType<typeof member>[]) {
  const assigner = singleActiveAssigner({ startedAt: 0, isActive: () => false })({
    cluster,
    groupId: 'g',
    logger: undefined as never,
  });
  const result = await assigner.assign({ members, topics: ['out'] });
  return Object.fromEntries(
    result.map((r) => [
      r.memberId,
      AssignerProtocol.MemberAssignment.decode(r.memberAssignment)?.assignment ?? {},
    ]),
  );
}

describe('singleActiveAssigner', () => {
  it('gives every partition to one member and nothing to the others', async () => {
    const result = await assign([member('b', 200, false), member('a', 100, false), member('c', 300, false)]);
    expect(result).toEqual({ a: { out: [0, 1, 2] }, b: {}, c: {} });
  });

  it('keeps the partitions with the member that already holds them when an older one joins', async () => {
    const result = await assign([member('old', 1, false), member('running', 500, true)]);
    expect(result.running).toEqual({ out: [0, 1, 2] });
    expect(result.old).toEqual({});
  });

  it('breaks ties on start time by member id', async () => {
    const result = await assign([member('m2', 5, false), member('m1', 5, false)]);
    expect(result.m1).toEqual({ out: [0, 1, 2] });
  });
});
