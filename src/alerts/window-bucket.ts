import type { GroupKey } from './group-key';
import { groupId } from './group-key';

/** A tweet kept as an alert sample. */
export interface LabelSample {
  id: string;
  score: number;
}

/** Counts of one group in one window. */
export interface GroupCounts {
  group: GroupKey;
  total: number;
  byLabel: Map<string, number>;
  /** Per label, the highest-scoring tweets (ties by id): the same set whatever the arrival order. */
  samples: Map<string, LabelSample[]>;
}

/** Everything counted in one tumbling event-time window, per group. */
export class WindowBucket {
  readonly groups = new Map<string, GroupCounts>();
  /** Events not counted because their dimension already had maxGroupsPerWindow groups. */
  overflow = 0;
  private readonly groupsPerDimension = new Map<string, number>();

  constructor(
    readonly start: number,
    private readonly maxGroupsPerDimension: number,
    private readonly sampleSize: number,
  ) {}

  add(group: GroupKey, label: string, sample: LabelSample): void {
    const id = groupId(group);
    let counts = this.groups.get(id);
    if (!counts) {
      const used = this.groupsPerDimension.get(group.dimension) ?? 0;
      if (used >= this.maxGroupsPerDimension) {
        this.overflow += 1;
        return;
      }
      this.groupsPerDimension.set(group.dimension, used + 1);
      counts = { group, total: 0, byLabel: new Map(), samples: new Map() };
      this.groups.set(id, counts);
    }
    counts.total += 1;
    counts.byLabel.set(label, (counts.byLabel.get(label) ?? 0) + 1);
    this.keepSample(counts, label, sample);
  }

  private keepSample(counts: GroupCounts, label: string, sample: LabelSample): void {
    if (this.sampleSize === 0) return;
    const samples = counts.samples.get(label) ?? [];
    samples.push(sample);
    samples.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (samples.length > this.sampleSize) samples.length = this.sampleSize;
    counts.samples.set(label, samples);
  }
}
