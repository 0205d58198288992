import { readFileSync } from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import { createCodec, subjectOf } from '../../../src/codec';
import type { TweetEmotion, TweetUnclassified } from '../../../src/core';
import { schemaRegistryUrl, uniqueName } from '../../support/services';

// Issue 19, "no reader broken": the output topic's schema did not change (the unclassified tweets have their
// own topic and schema), and the unclassified schema can evolve under the registry's BACKWARD check.

const SCHEMAS = path.resolve(__dirname, '..', '..', '..', 'schemas');
const schemaJson = (file: string) =>
  JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8')) as Record<string, unknown>;

/** Fingerprint of schemas/tweet-emotion.avsc as every release before issue 19 shipped it (unchanged since the skeleton). */
const OUTPUT_SCHEMA_SHA256 = 'd3b786bc334e2ee088d85079428b3750614ea674d7684b3071e9e4c02dbc2e77';

const unclassified: TweetUnclassified = {
  id: 'compat-1',
  text: 'hoy llueve y el tren llega tarde otra vez',
  createdAt: 1_700_000_000_000,
  lang: null,
  userId: 'u1',
  hashtags: [],
  language: 'es',
  languageSource: 'detected',
  languageConfidence: 0.5,
  reason: 'UNSUPPORTED_LANGUAGE',
  modelName: 'm',
  modelVersion: '1',
  modelLanguages: ['en'],
  processedAt: 1_700_000_000_001,
  sourceTopic: 'tweets',
  sourcePartition: 0,
  sourceOffset: '3',
};

const headers = { 'content-type': 'application/vnd.schemaregistry.v1+json' };

async function isCompatible(subject: string, schema: unknown): Promise<boolean> {
  const response = await fetch(`${schemaRegistryUrl()}/compatibility/subjects/${subject}/versions/latest`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { is_compatible: boolean }).is_compatible;
}

test('the output schema is the one readers have always had, and a reader on it reads what the worker writes', async () => {
  const today = avro.Type.forSchema(schemaJson('tweet-emotion.avsc') as avro.Schema);
  expect(today.fingerprint('sha256').toString('hex')).toBe(OUTPUT_SCHEMA_SHA256);

  // The worker's own encoder (raw Avro), read back by a plain avsc reader that knows nothing of the codec.
  const codec = await createCodec({ inputTopic: 'in', outputTopic: 'out' });
  const event: TweetEmotion = {
    id: 'compat-2',
    text: 'what a lovely morning',
    createdAt: 1_700_000_000_000,
    lang: 'en',
    userId: null,
    hashtags: ['sun'],
    emotion: { label: 'joy', score: 0.9, scores: { joy: 0.9, sadness: 0.1 } },
    modelName: 'm',
    modelVersion: '1',
    processedAt: 1_700_000_000_001,
    sourceTopic: 'tweets',
    sourcePartition: 0,
    sourceOffset: '4',
  };
  const decoded = today.fromBuffer(await codec.encoder.encode(event)) as Record<string, unknown>;
  expect(decoded).toMatchObject({ id: 'compat-2', text: 'what a lovely morning', model_name: 'm' });
});

test('the registry (BACKWARD) accepts a compatible evolution of the unclassified schema and refuses a breaking one', async () => {
  const topic = uniqueName('compat-unclassified');
  const subject = subjectOf(topic);
  // The local registry's global level is NONE, under which every change passes: pin the subject to BACKWARD.
  const put = await fetch(`${schemaRegistryUrl()}/config/${subject}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ compatibility: 'BACKWARD' }),
  });
  expect(put.status).toBe(200);

  // Registered the way the worker does it: on the first unclassified record it writes.
  const codec = await createCodec({
    schemaRegistryUrl: schemaRegistryUrl(),
    inputTopic: uniqueName('compat-in'),
    outputTopic: uniqueName('compat-out'),
    unclassifiedTopic: topic,
  });
  const bytes = await codec.unclassifiedEncoder.encode(unclassified);
  expect(await codec.tweetUnclassifiedDecoder.decode(bytes)).toEqual(unclassified);

  const shipped = schemaJson('tweet-unclassified.avsc') as { fields: Array<Record<string, unknown>> };
  // Compatible: a new optional field, and a new reason (the enum's OTHER default covers old readers).
  const evolved = {
    ...shipped,
    fields: [
      ...shipped.fields.map((field) =>
        field.name === 'reason'
          ? {
              ...field,
              type: {
                ...(field.type as { symbols: string[] }),
                symbols: [...(field.type as { symbols: string[] }).symbols, 'MODEL_UNAVAILABLE'],
              },
            }
          : field,
      ),
      { name: 'detector', type: ['null', 'string'], default: null },
    ],
  };
  expect(await isCompatible(subject, shipped)).toBe(true);
  expect(await isCompatible(subject, evolved)).toBe(true);
  // Breaking: a new field without a default cannot be read from the records already written.
  const breaking = { ...shipped, fields: [...shipped.fields, { name: 'detector', type: 'string' }] };
  expect(await isCompatible(subject, breaking)).toBe(false);
});
