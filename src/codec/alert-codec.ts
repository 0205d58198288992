import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { fromPackageRoot } from '../config/package-root';
import type { AlertCodec } from '../core';
import { ConfigError } from '../core';
import { compileClaimCheck } from './claim-check';

/** schemas/emotion-alert.avsc: the alert record on ALERT_TOPIC. */
export const EMOTION_ALERT_SCHEMA_PATH = fromPackageRoot('schemas', 'emotion-alert.avsc');

interface AlertRecord {
  id: string;
  label: string;
  group_by: string | null;
  group_key: string | null;
  window_start: number;
  window_end: number;
  count: number;
  total: number;
  share: number;
  baseline_share: number;
  baseline_total: number;
  baseline_start: number;
  ratio: number;
  min_ratio: number;
  min_count: number;
  sample_tweet_ids: string[];
  detected_at: number;
}

export function createAlertCodec(schemaPath: string = EMOTION_ALERT_SCHEMA_PATH): AlertCodec {
  let type: avro.Type;
  try {
    type = avro.Type.forSchema(JSON.parse(readFileSync(schemaPath, 'utf8')) as avro.Schema);
  } catch (error) {
    throw new ConfigError(`cannot load the alert schema ${schemaPath}: ${(error as Error).message}`, error);
  }
  // Anyone who can write the alert topic could send an array claiming billions of sample ids; the
  // claim check rejects it (PoisonMessageError) before avsc loops over the claim.
  const claimCheck = compileClaimCheck(type);
  return {
    encode(alert) {
      const record: AlertRecord = {
        id: alert.id,
        label: alert.label,
        group_by: alert.groupBy,
        group_key: alert.groupKey,
        window_start: alert.windowStart,
        window_end: alert.windowEnd,
        count: alert.count,
        total: alert.total,
        share: alert.share,
        baseline_share: alert.baselineShare,
        baseline_total: alert.baselineTotal,
        baseline_start: alert.baselineStart,
        ratio: alert.ratio,
        min_ratio: alert.minRatio,
        min_count: alert.minCount,
        sample_tweet_ids: alert.sampleTweetIds,
        detected_at: alert.detectedAt,
      };
      return type.toBuffer(record);
    },
    decode(value) {
      claimCheck(value);
      const r = type.fromBuffer(value) as AlertRecord;
      return {
        id: r.id,
        label: r.label,
        groupBy: r.group_by,
        groupKey: r.group_key,
        windowStart: r.window_start,
        windowEnd: r.window_end,
        count: r.count,
        total: r.total,
        share: r.share,
        baselineShare: r.baseline_share,
        baselineTotal: r.baseline_total,
        baselineStart: r.baseline_start,
        ratio: r.ratio,
        minRatio: r.min_ratio,
        minCount: r.min_count,
        sampleTweetIds: r.sample_tweet_ids,
        detectedAt: r.detected_at,
      };
    },
  };
}
