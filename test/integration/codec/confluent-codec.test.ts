import path from 'node:path';
import { createCodec, frameAvro, loadSchema, subjectOf, tweetToRecord, type Codec } from '../../../src/codec';
import { RegistryClient } from '../../../src/codec/registry-client';
import { EmotionStreamError, PoisonMessageError, type Tweet } from '../../../src/core';
import { schemaRegistryUrl, uniqueName } from '../../support/services';
import { envelopeOf } from '../../support/envelope';

// Against the real Confluent-compatible registry that scripts/services runs: schemas are registered,
// fetched by id and resolved against the worker's reader schema, in both evolution directions.

const fixture = (name: string): string => path.join(__dirname, '..', '..', 'fixtures', 'schemas', name);
const tweet = (overrides: Partial<Tweet> = {}): Tweet => ({
  id: 'c-1',
  text: 'confluent framed and happy',
  createdAt: 1_700_000_000_000,
  lang: 'en',
  userId: 'u',
  userName: null,
  source: null,
  hashtags: ['a'],
  attributes: { k: 'v' },
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<EmotionStreamError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof EmotionStreamError))
    throw new Error(`expected an EmotionStreamError, got ${String(error)}`);
  return error;
}

/** Registers a fixture schema under a fresh subject, as another producer would, and frames a record with its id. */
async function framedWith(registry: RegistryClient, schemaFile: string, record: object): Promise<Buffer> {
  const schema = loadSchema(fixture(schemaFile));
  const id = await registry.register(uniqueName('codec-it-producer'), schema.json, 'encode');
  return frameAvro(id, schema.type.toBuffer(record));
}

describe('Confluent wire format against the real schema registry', () => {
  let codec: Codec;
  let registry: RegistryClient;
  let inputTopic: string;
  let outputTopic: string;

  beforeAll(async () => {
    inputTopic = uniqueName('codec-it-in');
    outputTopic = uniqueName('codec-it-out');
    codec = await createCodec({ schemaRegistryUrl: schemaRegistryUrl(), inputTopic, outputTopic });
    registry = new RegistryClient({ url: schemaRegistryUrl() });
  });

  it('registers the output schema at start under <output-topic>-value', async () => {
    const response = await fetch(`${schemaRegistryUrl()}/subjects/${subjectOf(outputTopic)}/versions/latest`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { schema: string; id: number };
    expect(JSON.parse(body.schema)).toMatchObject({ name: 'TweetEmotion' });
  });

  it('round-trips a tweet framed with magic byte 0 and the registered id', async () => {
    const value = await codec.tweetEncoder.encode(tweet());
    expect(value[0]).toBe(0);
    const latest = (await (
      await fetch(`${schemaRegistryUrl()}/subjects/${subjectOf(inputTopic)}/versions/latest`)
    ).json()) as { id: number };
    expect(value.readInt32BE(1)).toBe(latest.id);
    expect(await codec.decoder.decode(envelopeOf(value))).toEqual(tweet());
  });

  it('reads an older producer (fewer fields), filling the defaults', async () => {
    const value = await framedWith(registry, 'tweet-v0-older.avsc', {
      id: 'o-1',
      text: 'older but fine',
      created_at: 7,
      lang: null,
    });
    expect(await codec.decoder.decode(envelopeOf(value))).toEqual(
      tweet({
        id: 'o-1',
        text: 'older but fine',
        createdAt: 7,
        lang: null,
        userId: null,
        hashtags: [],
        attributes: {},
      }),
    );
  });

  it('reads a newer producer (extra fields), dropping what it does not know', async () => {
    const value = await framedWith(registry, 'tweet-v2-newer.avsc', {
      ...tweetToRecord(tweet({ id: 'n-1' })),
      retweet_count: 3,
      reply_to: 'o-1',
      place: { country: 'DE', city: 'Kiel' },
    });
    expect(await codec.decoder.decode(envelopeOf(value))).toEqual(tweet({ id: 'n-1' }));
  });

  it('rejects a frame whose schema id the registry does not know as UNKNOWN_SCHEMA_ID poison', async () => {
    const error = await failure(
      codec.decoder.decode(envelopeOf(frameAvro(2_000_000_000, Buffer.from([2, 0x61])))),
    );
    expect(error).toBeInstanceOf(PoisonMessageError);
    expect(error.code).toBe('UNKNOWN_SCHEMA_ID');
  });

  it('rejects a record written with an unrelated schema as WRONG_SCHEMA poison', async () => {
    const value = await framedWith(registry, 'click-event.avsc', { url: 'https://example.org', at: 1 });
    expect((await failure(codec.decoder.decode(envelopeOf(value)))).code).toBe('WRONG_SCHEMA');
  });

  it('rejects a record whose writer made text optional and left it null as MISSING_TEXT', async () => {
    const value = await framedWith(registry, 'tweet-nullable-text.avsc', {
      id: 'x',
      text: null,
      created_at: 1,
    });
    expect((await failure(codec.decoder.decode(envelopeOf(value)))).code).toBe('MISSING_TEXT');
  });

  it('rejects raw Avro (no magic byte) as NOT_AVRO', async () => {
    const raw = loadSchema(fixture('tweet-v0-older.avsc')).type.toBuffer({
      id: 'r',
      text: 'raw',
      created_at: 1,
      lang: null,
    });
    expect((await failure(codec.decoder.decode(envelopeOf(raw)))).code).toBe('NOT_AVRO');
  });

  it('round-trips an enriched event through the registered output schema', async () => {
    const event = {
      ...tweet(),
      emotion: { label: 'joy', score: 0.5, scores: { joy: 0.5, fear: 0.5 } },
      modelName: 'm',
      modelVersion: '1',
      processedAt: 9,
      sourceTopic: inputTopic,
      sourcePartition: 1,
      sourceOffset: '42',
    };
    const { userName: _userName, source: _source, attributes: _attributes, ...enriched } = event;
    const value = await codec.encoder.encode(enriched);
    expect(value[0]).toBe(0);
    expect(await codec.tweetEmotionDecoder.decode(value)).toEqual(enriched);
  });

  it('refuses to start, naming the subject, when the output subject is pinned to another compatibility level', async () => {
    const pinnedTopic = uniqueName('codec-it-pinned');
    await createCodec({ schemaRegistryUrl: schemaRegistryUrl(), inputTopic, outputTopic: pinnedTopic });
    const put = await fetch(`${schemaRegistryUrl()}/config/${subjectOf(pinnedTopic)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'FULL' }),
    });
    expect(put.status).toBe(200);
    const error = await failure(
      createCodec({ schemaRegistryUrl: schemaRegistryUrl(), inputTopic, outputTopic: pinnedTopic }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(subjectOf(pinnedTopic));
  });

  it('reports an unreachable registry as a retriable REGISTRY_UNAVAILABLE, not poison', async () => {
    const offline = await createCodec({
      schemaRegistryUrl: 'http://127.0.0.1:9',
      inputTopic,
      outputTopic,
      registerOnStart: false,
      registryRetries: 0,
    });
    const error = await failure(offline.decoder.decode(envelopeOf(frameAvro(1, Buffer.from([2, 0x61])))));
    expect(error).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retriable: true });
    await expect(
      createCodec({ schemaRegistryUrl: 'http://127.0.0.1:9', inputTopic, outputTopic, registryRetries: 0 }),
    ).rejects.toMatchObject({
      code: 'REGISTRY_UNAVAILABLE',
    });
  });
});
