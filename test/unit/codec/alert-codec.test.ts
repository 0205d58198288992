import { readFileSync } from 'node:fs';
import { createAlertCodec, EMOTION_ALERT_SCHEMA_PATH } from '../../../src/codec/alert-codec';
import { AlertLedger } from '../../../src/alerts/alert-ledger';
import { alertId } from '../../../src/alerts/group-key';
import { PoisonMessageError, type EmotionAlert } from '../../../src/core';
import { varint } from '../../support/avro-bombs';

const alert: EmotionAlert = {
  id: 'anger[lang=en]@2026-01-01T12:15:00.000Z',
  label: 'anger',
  groupBy: 'lang',
  groupKey: 'en',
  windowStart: Date.UTC(2026, 0, 1, 12, 15),
  windowEnd: Date.UTC(2026, 0, 1, 12, 16),
  count: 40,
  total: 100,
  share: 0.4,
  baselineShare: 0.1,
  baselineTotal: 1500,
  baselineStart: Date.UTC(2026, 0, 1, 12, 0),
  ratio: 4,
  minRatio: 2,
  minCount: 20,
  sampleTweetIds: ['a', 'b'],
  detectedAt: Date.UTC(2026, 0, 1, 12, 16, 31),
};

describe('alert codec', () => {
  it('round-trips every field of schemas/emotion-alert.avsc', () => {
    const codec = createAlertCodec();
    expect(codec.decode(codec.encode(alert))).toEqual(alert);
    expect(
      codec.decode(codec.encode({ ...alert, groupBy: null, groupKey: null, sampleTweetIds: [] })),
    ).toMatchObject({ groupBy: null, groupKey: null });
  });

  it('the TS view names every schema field (camelCase of snake_case)', () => {
    const schema = JSON.parse(readFileSync(EMOTION_ALERT_SCHEMA_PATH, 'utf8')) as {
      fields: Array<{ name: string }>;
    };
    const camel = schema.fields
      .map((f) => f.name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()))
      .sort();
    expect(camel).toEqual(Object.keys(alert).sort());
  });

  it('ids are deterministic and name the label, group and window', () => {
    expect(alertId('fear', { dimension: 'all', key: null }, Date.UTC(2026, 0, 1))).toBe(
      'fear@2026-01-01T00:00:00.000Z',
    );
    expect(alertId('fear', { dimension: 'hashtag', key: 'storm' }, Date.UTC(2026, 0, 1))).toBe(
      'fear[hashtag=storm]@2026-01-01T00:00:00.000Z',
    );
  });
});

describe('AlertLedger', () => {
  it('remembers published ids and forgets those older than its horizon', () => {
    const ledger = new AlertLedger(10 * 60_000);
    ledger.add({ id: 'old', windowStart: 0 });
    ledger.add({ id: 'mid', windowStart: 5 * 60_000 });
    expect(ledger.has('old')).toBe(true);
    ledger.add({ id: 'new', windowStart: 11 * 60_000 });
    expect([ledger.has('old'), ledger.has('mid'), ledger.has('new')]).toEqual([false, true, true]);
  });

  it('rejects an alert whose sample ids claim more items than its bytes hold, without looping over the claim', () => {
    const codec = createAlertCodec();
    const honest = codec.encode({ ...alert, sampleTweetIds: [] });
    // The empty array is the single 0x00 before detected_at (a varint); claim 4e9 ids there instead.
    const tail = varint(alert.detectedAt).length;
    const arrayAt = honest.length - tail - 1;
    expect(honest[arrayAt]).toBe(0);
    const bomb = Buffer.concat([honest.subarray(0, arrayAt), varint(4e9), Buffer.from([2, 0x61])]);
    let thrown: unknown;
    try {
      codec.decode(bomb);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PoisonMessageError);
    expect((thrown as PoisonMessageError).code).toBe('AVRO_CLAIMS_EXCEED_BYTES');
  });
});
