import type { GroupDimension } from './alert-options';
import type { ObservedEmotion } from './observed-emotion';

/** One group an event is counted in: the whole stream, one language or one hashtag. */
export interface GroupKey {
  dimension: GroupDimension;
  /** null for `all`. */
  key: string | null;
}

/** Language of tweets without one (BCP-47 "undetermined"). */
export const UNKNOWN_LANG = 'und';

/** A string that identifies the group inside maps; never shown to users. */
export function groupId(group: GroupKey): string {
  return `${group.dimension}\u0001${group.key ?? ''}`;
}

/**
 * The groups an event counts in for the configured dimensions. A tweet with three hashtags
 * counts once in each; hashtags are lower-cased without a leading '#', so #Fire and fire meet.
 */
export function groupsOf(event: ObservedEmotion, dimensions: readonly GroupDimension[]): GroupKey[] {
  const groups: GroupKey[] = [];
  for (const dimension of dimensions) {
    if (dimension === 'all') groups.push({ dimension, key: null });
    else if (dimension === 'lang')
      groups.push({ dimension, key: event.lang?.trim().toLowerCase() || UNKNOWN_LANG });
    else {
      const tags = new Set(
        event.hashtags
          .map((tag) => tag.trim().replace(/^#/, '').toLowerCase())
          .filter((tag) => tag.length > 0),
      );
      for (const key of [...tags].sort()) groups.push({ dimension, key });
    }
  }
  return groups;
}

/** `anger@2026-01-01T10:00:00.000Z` or `anger[lang=en]@…`: the same spike gets the same id on every replica. */
export function alertId(label: string, group: GroupKey, windowStart: number): string {
  const scope = group.dimension === 'all' ? '' : `[${group.dimension}=${group.key ?? ''}]`;
  return `${label}${scope}@${new Date(windowStart).toISOString()}`;
}
