import { Command } from 'commander';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { register } from '../../src/cli/produce';
import { createCodec } from '../../src/codec';
import { envelopeOf } from '../support/envelope';
import { readTopic } from '../support/read-topic';
import { kafkaBrokers, schemaRegistryUrl, uniqueName } from '../support/services';

const LABELS = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'];
const COUNT = 300;
const dir = mkdtempSync(path.join(tmpdir(), 'produce-it-'));
const dairFile = path.join(dir, 'sample.txt');
writeFileSync(
  dairFile,
  [
    'text;label_name',
    ...Array.from({ length: COUNT }, (_, i) => `tweet number ${i}; é ✓;${LABELS[i % LABELS.length]}`),
  ].join('\n'),
);

/** Runs `emotion-stream produce ...args` in this process and returns its --json summary. */
async function produce(
  args: string[],
  env: { schemaRegistryUrl?: string },
): Promise<Record<string, unknown>> {
  const saved = process.env.SCHEMA_REGISTRY_URL;
  process.env.SCHEMA_REGISTRY_URL = env.schemaRegistryUrl ?? '';
  const program = new Command().exitOverride();
  register(program);
  process.env.SCHEMA_REGISTRY_URL = saved;
  const output: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['produce', '--brokers', kafkaBrokers().join(','), '--json', ...args], {
      from: 'user',
    });
  } finally {
    write.mockRestore();
  }
  return JSON.parse(output.join('')) as Record<string, unknown>;
}

const fixture = (name: string): string => path.join(__dirname, '..', 'fixtures', 'schemas', name);
const jsonlFile = path.join(dir, 'sample.jsonl');
writeFileSync(
  jsonlFile,
  [
    '{"text":"written by some producer","id":"e-1","lang":"en"}',
    '{"text":"and another one","id":"e-2","hashtags":["x"]}',
  ].join('\n'),
);

describe.each([
  ['raw Avro', undefined],
  ['Confluent wire format', 'registry'],
])('emotion-stream produce (%s) through the real broker', (_name, mode) => {
  it('publishes every line of a dair-ai file, keyed by id, with labels in a header', async () => {
    const registry = mode === undefined ? undefined : schemaRegistryUrl();
    const topic = uniqueName('produce-it');
    const summary = await produce(
      ['--file', dairFile, '--topic', topic, '--partitions', '3', '--label-header', '--batch-size', '64'],
      {
        schemaRegistryUrl: registry,
      },
    );
    expect(summary).toMatchObject({
      topic,
      published: COUNT,
      createdTopic: true,
      partitions: 3,
      format: 'dair',
      skippedLines: 1,
    });
    expect(summary.wireFormat).toBe(registry === undefined ? 'raw' : 'confluent');

    const codec = await createCodec({
      schemaRegistryUrl: registry,
      inputTopic: topic,
      outputTopic: `${topic}.out`,
      registerOnStart: false,
    });
    const records = await readTopic(topic, COUNT);
    expect(records).toHaveLength(COUNT);
    expect(new Set(records.map((record) => record.partition)).size).toBeGreaterThan(1);
    const seen = new Map<string, string>();
    for (const record of records) {
      if (registry !== undefined) expect(record.value?.[0]).toBe(0);
      const tweet = await codec.decoder.decode(envelopeOf(record.value, topic));
      expect(record.key?.toString()).toBe(tweet.id);
      seen.set(tweet.text, String(record.headers['x-expected-label']));
    }
    expect(seen.size).toBe(COUNT);
    for (let i = 0; i < COUNT; i++)
      expect(seen.get(`tweet number ${i}; é ✓`)).toBe(LABELS[i % LABELS.length]);
  });
});

describe('schema evolution through the broker and the registry', () => {
  it('decodes what an older and a newer producer published to one topic with the worker reader schema', async () => {
    const topic = uniqueName('produce-evolution');
    const registry = schemaRegistryUrl();
    // Same subject (<topic>-value), BACKWARD compatible: v0 (fewer fields) first, then v2 (extra defaulted fields).
    for (const schema of ['tweet-v0-older.avsc', 'tweet-v2-newer.avsc']) {
      const summary = await produce(
        ['--file', jsonlFile, '--topic', topic, '--writer-schema', fixture(schema)],
        { schemaRegistryUrl: registry },
      );
      expect(summary).toMatchObject({ published: 2, wireFormat: 'confluent', format: 'jsonl' });
    }
    const codec = await createCodec({
      schemaRegistryUrl: registry,
      inputTopic: topic,
      outputTopic: `${topic}.out`,
      registerOnStart: false,
    });
    const records = await readTopic(topic, 4);
    expect(new Set(records.map((record) => record.value?.readInt32BE(1))).size).toBe(2);
    const tweets = await Promise.all(
      records.map((record) => codec.decoder.decode(envelopeOf(record.value, topic))),
    );
    const byWriter = (lang: string | null) =>
      tweets.filter((tweet) => tweet.id === 'e-1' && tweet.lang === lang).length;
    // The older schema has lang, so both writers keep it; hashtags only survive from the newer writer.
    expect(byWriter('en')).toBe(2);
    expect(
      tweets
        .filter((tweet) => tweet.id === 'e-2')
        .map((tweet) => tweet.hashtags)
        .sort(),
    ).toEqual([[], ['x']]);
  });
});
