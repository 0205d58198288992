import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createCodec, type Codec } from '../../../src/codec';
import { DEFAULT_LANGUAGE_SETTINGS } from '../../../src/config/language-settings';
import {
  DEFAULT_RETRY_POLICY,
  PoisonMessageError,
  type Classifier,
  type Envelope,
  type Tweet,
  type TweetUnclassifiedEncoder,
} from '../../../src/core';
import { createLanguageGate } from '../../../src/pipeline/language-gate';
import { copyInputHeaders, processChunk, type ChunkStages } from '../../../src/pipeline/process-chunk';
import { createStopController } from '../../../src/pipeline/stop-signal';
import { ChunkTrace } from '../../../src/telemetry';

// The chunk pipeline with the language gate: the real codec and detector; the classifier is a stand-in that
// records what it was shown (the model itself is covered by the integration tests).

const model = { name: 'm', version: '1', labels: ['joy', 'anger'], languages: ['en'] };

function recordingClassifier(): Classifier & { seen: string[] } {
  const seen: string[] = [];
  return {
    model,
    seen,
    close: async () => undefined,
    async classify(texts) {
      seen.push(...texts);
      return texts.map(() => ({ label: 'joy', score: 0.9, scores: { joy: 0.9, anger: 0.1 } }));
    },
  };
}

const tweet = (id: string, text: string, lang: string | null): Tweet => ({
  id,
  text,
  createdAt: 1_700_000_000_000,
  lang,
  userId: null,
  userName: null,
  source: null,
  hashtags: [],
  attributes: {},
});

describe('processChunk with the language gate', () => {
  let codec: Codec;
  const input = [
    tweet('a', 'what a lovely calm morning with my friends', null),
    tweet('b', 'qué día tan bonito con mis amigos de siempre', 'es-MX'),
    tweet('c', '今日は電車が遅れて本当に最悪の朝でした', null),
    tweet('d', 'so tired of this weather', 'en-GB'),
    tweet('e', '😂😂😂', null),
  ];
  let envelopes: Envelope[];

  beforeAll(async () => {
    codec = await createCodec({ inputTopic: 'in', outputTopic: 'out' });
    envelopes = await Promise.all(
      input.map(async (item, index) => ({
        topic: 'in',
        partition: 0,
        offset: String(index),
        timestamp: '0',
        key: Buffer.from(item.id),
        value: await codec.tweetEncoder.encode(item),
        headers: {},
      })),
    );
  });

  const stagesWith = (classifier: Classifier, overrides: Partial<ChunkStages> = {}): ChunkStages => ({
    decoder: codec.decoder,
    classifier,
    encoder: codec.encoder,
    outputTopic: 'out',
    language: createLanguageGate({
      settings: DEFAULT_LANGUAGE_SETTINGS,
      supported: new Set(['en']),
      topic: 'out.unclassified',
      encoder: codec.unclassifiedEncoder,
    }),
    outputHeaders: copyInputHeaders,
    retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 0, maxDelayMs: 0 },
    now: () => 1_700_000_000_500,
    ...overrides,
  });

  it('classifies only what the model reads; the rest becomes unclassified records, all in input order', async () => {
    const classifier = recordingClassifier();
    const outcome = await processChunk(envelopes, stagesWith(classifier), createStopController());
    expect(classifier.seen).toEqual([input[0].text, input[3].text]);
    expect(outcome.deadLetters).toEqual([]);
    expect(outcome.records.map((record) => [record.key, record.topic])).toEqual([
      ['a', 'out'],
      ['b', 'out.unclassified'],
      ['c', 'out.unclassified'],
      ['d', 'out'],
      ['e', 'out.unclassified'],
    ]);
    expect(outcome.produced?.map((item) => item.topic)).toEqual(
      outcome.records.map((record) => record.topic),
    );
    const decoded = await Promise.all(
      outcome.records
        .filter((record) => record.topic === 'out.unclassified')
        .map((record) => codec.tweetUnclassifiedDecoder.decode(record.value)),
    );
    expect(
      decoded.map(({ id, reason, language, languageSource, lang }) => ({
        id,
        reason,
        language,
        languageSource,
        lang,
      })),
    ).toEqual([
      { id: 'b', reason: 'UNSUPPORTED_LANGUAGE', language: 'es', languageSource: 'producer', lang: 'es-MX' },
      { id: 'c', reason: 'UNSUPPORTED_LANGUAGE', language: 'ja', languageSource: 'detected', lang: null },
      { id: 'e', reason: 'UNDETERMINED_LANGUAGE', language: null, languageSource: 'none', lang: null },
    ]);
    expect(decoded[0]).toMatchObject({
      modelName: 'm',
      modelVersion: '1',
      modelLanguages: ['en'],
      sourceOffset: '1',
    });
    expect(outcome.languages?.map((decision) => decision.outcome)).toEqual([
      'classify',
      'unsupported',
      'unsupported',
      'classify',
      'undetermined',
    ]);
  });

  it('without a gate every tweet is classified, as before', async () => {
    const classifier = recordingClassifier();
    const outcome = await processChunk(
      envelopes,
      stagesWith(classifier, { language: undefined }),
      createStopController(),
    );
    expect(classifier.seen).toEqual(input.map((item) => item.text));
    expect(outcome.records.every((record) => record.topic === 'out')).toBe(true);
    expect(outcome.languages).toEqual([]);
  });

  it('an unclassified record that cannot be written or does not fit is a dead letter, like an output record', async () => {
    const failing: TweetUnclassifiedEncoder = {
      encode: async (event) => {
        if (event.id === 'b') throw new PoisonMessageError('UNENCODABLE_OUTPUT', 'cannot encode');
        return codec.unclassifiedEncoder.encode(event);
      },
    };
    const stages = stagesWith(recordingClassifier());
    const outcome = await processChunk(
      envelopes,
      {
        ...stages,
        language: { ...stages.language!, encoder: failing },
        outputLimit: { maxRequestBytes: 60 },
      },
      createStopController(),
    );
    const codes = Object.fromEntries(
      outcome.deadLetters.map((item) => [item.envelope.offset, item.error.code]),
    );
    // The size limit holds for both topics' records: with 60 bytes nothing fits.
    expect(codes).toEqual({
      '0': 'OUTPUT_TOO_LARGE',
      '1': 'UNENCODABLE_OUTPUT',
      '2': 'OUTPUT_TOO_LARGE',
      '3': 'OUTPUT_TOO_LARGE',
      '4': 'OUTPUT_TOO_LARGE',
    });
    expect(outcome.records).toEqual([]);
  });

  it('puts the decision on each message span', async () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
      't',
    );
    const trace = ChunkTrace.start(tracer, envelopes);
    await processChunk(envelopes, stagesWith(recordingClassifier()), createStopController(), { trace });
    trace.end();
    const spans = exporter.getFinishedSpans().filter((span) => span.name === 'enrich in');
    expect(spans.map((span) => span.attributes['emotion_stream.language.outcome'])).toEqual([
      'classify',
      'unsupported',
      'unsupported',
      'classify',
      'undetermined',
    ]);
    expect(spans[2].attributes).toMatchObject({
      'emotion_stream.language': 'ja',
      'emotion_stream.language.source': 'detected',
    });
  });
});
