import { createCodec, subjectOf, type Codec } from '../../../src/codec';
import { unclassifiedTopicOf } from '../../../src/core';
import type { TweetUnclassified } from '../../../src/core';
import { schemaRegistryUrl, uniqueName } from '../../support/services';

// The unclassified form in the Confluent wire format, against the real registry scripts/services runs.

const event: TweetUnclassified = {
  id: 'uc-1',
  text: '今日は朝から雨で電車も遅れていて最悪な一日でした',
  createdAt: 1_700_000_000_000,
  lang: 'ja',
  userId: null,
  hashtags: [],
  language: 'ja',
  languageSource: 'producer',
  languageConfidence: null,
  reason: 'UNSUPPORTED_LANGUAGE',
  modelName: 'm',
  modelVersion: '1',
  modelLanguages: ['en'],
  processedAt: 1_700_000_000_001,
  sourceTopic: 'tweets',
  sourcePartition: 0,
  sourceOffset: '7',
};

async function latestSchema(subject: string): Promise<{ status: number; name?: string }> {
  const response = await fetch(`${schemaRegistryUrl()}/subjects/${subject}/versions/latest`);
  if (response.status !== 200) return { status: response.status };
  const body = (await response.json()) as { schema: string };
  return { status: 200, name: (JSON.parse(body.schema) as { name: string }).name };
}

describe('unclassified tweets in the Confluent wire format', () => {
  let outputTopic: string;
  let codec: Codec;

  beforeAll(async () => {
    outputTopic = uniqueName('unclassified-it-out');
    codec = await createCodec({
      schemaRegistryUrl: schemaRegistryUrl(),
      inputTopic: uniqueName('unclassified-it-in'),
      outputTopic,
    });
  });

  it('registers nothing for the unclassified topic until the first encode', async () => {
    expect((await latestSchema(subjectOf(unclassifiedTopicOf(outputTopic)))).status).toBe(404);
  });

  it('registers under <output-topic>.unclassified-value, frames with its id and round-trips', async () => {
    const bytes = await codec.unclassifiedEncoder.encode(event);
    expect(bytes[0]).toBe(0);
    expect(await latestSchema(subjectOf(unclassifiedTopicOf(outputTopic)))).toEqual({
      status: 200,
      name: 'TweetUnclassified',
    });
    expect(await codec.tweetUnclassifiedDecoder.decode(bytes)).toEqual(event);
  });

  it('uses the configured topic when one is given', async () => {
    const topic = uniqueName('unclassified-it-custom');
    const custom = await createCodec({
      schemaRegistryUrl: schemaRegistryUrl(),
      inputTopic: uniqueName('unclassified-it-in'),
      outputTopic: uniqueName('unclassified-it-out'),
      unclassifiedTopic: topic,
    });
    await custom.unclassifiedEncoder.encode(event);
    expect((await latestSchema(subjectOf(topic))).status).toBe(200);
  });
});
