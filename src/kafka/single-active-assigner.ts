import { AssignerProtocol } from 'kafkajs';
import type { PartitionAssigner } from 'kafkajs';

/** What a member tells the group leader when it joins. */
interface MemberClaim {
  /** Epoch ms the process started; the oldest member wins a fresh election. */
  startedAt: number;
  /** True while it holds the partitions: a running active member keeps them when others join. */
  active: boolean;
}

export interface SingleActiveState {
  readonly startedAt: number;
  /** Read at every join, so the member can say whether it currently holds the partitions. */
  isActive(): boolean;
}

export const SINGLE_ACTIVE_ASSIGNER = 'SingleActiveAssigner';

function claimOf(userData: Buffer | undefined): MemberClaim {
  try {
    const parsed = JSON.parse((userData ?? Buffer.alloc(0)).toString('utf8')) as Partial<MemberClaim>;
    return { startedAt: Number(parsed.startedAt) || Number.MAX_SAFE_INTEGER, active: parsed.active === true };
  } catch {
    return { startedAt: Number.MAX_SAFE_INTEGER, active: false };
  }
}

/**
 * A partition assigner that gives EVERY partition of the subscribed topics to ONE member and
 * nothing to the others (hot standbys). Spike windows need all partitions' events in one place;
 * the usual assigners would split them and every replica would see a fraction of a spike.
 * The member already active keeps the partitions when a replica joins (no needless hand-over);
 * otherwise the oldest process wins; ties go to the smaller member id, so the choice is stable.
 */
export function singleActiveAssigner(state: SingleActiveState): PartitionAssigner {
  return ({ cluster }) => ({
    name: SINGLE_ACTIVE_ASSIGNER,
    version: 1,
    async assign({ members, topics }) {
      const ranked = members
        .map((member) => ({
          memberId: member.memberId,
          claim: claimOf(AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.userData),
        }))
        .sort(
          (a, b) =>
            Number(b.claim.active) - Number(a.claim.active) ||
            a.claim.startedAt - b.claim.startedAt ||
            (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0),
        );
      const winner = ranked[0]?.memberId;
      const everything: Record<string, number[]> = {};
      for (const topic of topics) {
        everything[topic] = cluster.findTopicPartitionMetadata(topic).map((metadata) => metadata.partitionId);
      }
      return members.map(({ memberId }) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: memberId === winner ? everything : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      const claim: MemberClaim = { startedAt: state.startedAt, active: state.isActive() };
      return {
        name: SINGLE_ACTIVE_ASSIGNER,
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 1,
          topics,
          userData: Buffer.from(JSON.stringify(claim)),
        }),
      };
    },
  });
}
