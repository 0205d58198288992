import { DEFAULT_MAX_REQUEST_BYTES, recordBytes, splitBySize } from '../core/record-size';
import { originalRecord, type DeadLetterEntry } from './dead-letter-entry';
import type { RecordPublisher } from './record-publisher';

/** The part of the store replay needs (BullmqDeadLetterStore has it). */
export interface ReplayableStore {
  list(start?: number, end?: number): Promise<DeadLetterEntry[]>;
  count(): Promise<number>;
  get(id: string): Promise<DeadLetterEntry | undefined>;
  remove(id: string): Promise<boolean>;
}

export interface ReplayRequest {
  /** Entry ids to replay; ignored when `all` is set. */
  ids?: string[];
  /** Replay every entry, oldest first. */
  all?: boolean;
  /** Publish here instead of each entry's original topic. */
  topic?: string;
  /** Records per produce request; an entry is removed only after its request was acknowledged. @defaultValue 100 */
  chunkSize?: number;
  /** Record bytes per produce request (the broker refuses a bigger batch). @defaultValue DEFAULT_MAX_REQUEST_BYTES */
  maxRequestBytes?: number;
  /** `all`: entries read from Redis at a time, so memory stays bounded however long the DLQ is. @defaultValue 500 */
  pageSize?: number;
  /** Called after each acknowledged chunk with the running total (progress output). */
  onProgress?: (replayed: number) => void;
}

export interface ReplayReport {
  replayed: string[];
  /** Requested ids that are not in the DLQ. */
  missing: string[];
  /** Set when a produce or removal failed; the entries not yet replayed stay in the DLQ. */
  error?: Error;
}

/**
 * Re-publishes dead letters' original key, value and headers (trace context included) and removes
 * each entry only after Kafka acknowledged it. A crash between the two leaves the entry in place, so
 * a second replay may publish it twice — never zero times (the worker's output is keyed by tweet id,
 * so a duplicate is visible and harmless). Stops at the first failure.
 *
 * `all` reads the DLQ a page at a time (oldest first; replayed entries are removed, so the next page
 * is again at the head) and stops after as many entries as the DLQ held when it started, so records
 * that fail again while it runs — and come back as new entries — cannot keep it going forever.
 */
export async function replayDeadLetters(
  store: ReplayableStore,
  publisher: RecordPublisher,
  request: ReplayRequest,
): Promise<ReplayReport> {
  const report: ReplayReport = { replayed: [], missing: [] };
  const chunkSize = request.chunkSize ?? 100;
  const publish = async (entries: readonly DeadLetterEntry[]) => {
    const records = entries.map((entry) => ({ entry, record: originalRecord(entry) }));
    const bySize = splitBySize(records, request.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES, (item) =>
      recordBytes(item.record),
    );
    for (const chunk of bySize.flatMap((group) => splitBySize(group, chunkSize, () => 1))) {
      await publisher.publish(
        chunk.map(({ entry, record }) => ({ topic: request.topic ?? entry.topic, ...record })),
      );
      for (const { entry } of chunk) {
        await store.remove(entry.id);
        report.replayed.push(entry.id);
      }
      request.onProgress?.(report.replayed.length);
    }
  };
  try {
    if (request.all) {
      const pageSize = Math.max(1, request.pageSize ?? 500);
      let left = await store.count();
      const done = new Set<string>();
      while (left > 0) {
        const page = (await store.list(0, Math.min(pageSize, left) - 1)).filter(
          (entry) => !done.has(entry.id),
        );
        if (page.length === 0) break;
        await publish(page);
        for (const entry of page) done.add(entry.id);
        left -= page.length;
      }
    } else {
      const entries: DeadLetterEntry[] = [];
      for (const id of request.ids ?? []) {
        const entry = await store.get(id);
        if (entry) entries.push(entry);
        else report.missing.push(id);
      }
      await publish(entries);
    }
  } catch (error) {
    report.error = error instanceof Error ? error : new Error(String(error));
  }
  return report;
}
