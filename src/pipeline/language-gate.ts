import type { LanguageSettings } from '../config/language-settings';
import type {
  Envelope,
  LanguageSource,
  ModelInfo,
  Tweet,
  TweetUnclassified,
  TweetUnclassifiedEncoder,
  UnclassifiedReason,
} from '../core';
import {
  createLanguageDetector,
  decideLanguage,
  type LanguageDecision,
  type LanguageDetector,
} from '../language';

/** The worker's per-tweet language gate (docs/language.md): what it decides and where the tweets it keeps from the model go. */
export interface LanguageGate {
  /** The unclassified topic (UNCLASSIFIED_TOPIC). */
  topic: string;
  encoder: TweetUnclassifiedEncoder;
  /** The languages the model reads (written on every unclassified record). */
  modelLanguages: readonly string[];
  /** The rule for one tweet; never throws. */
  decide(tweet: Pick<Tweet, 'text' | 'lang'>): LanguageDecision;
}

export interface LanguageGateOptions {
  settings: Pick<LanguageSettings, 'minConfidence' | 'minLetters' | 'undetermined'>;
  /** The model's languages (resolveModelLanguages). */
  supported: ReadonlySet<string>;
  topic: string;
  encoder: TweetUnclassifiedEncoder;
  /** @defaultValue tinyld (createLanguageDetector) */
  detector?: LanguageDetector;
}

export function createLanguageGate(options: LanguageGateOptions): LanguageGate {
  const detector = options.detector ?? createLanguageDetector();
  const rule = {
    supported: options.supported,
    minConfidence: options.settings.minConfidence,
    minLetters: options.settings.minLetters,
    undetermined: options.settings.undetermined,
  };
  return {
    topic: options.topic,
    encoder: options.encoder,
    modelLanguages: [...options.supported].sort(),
    decide: (tweet) => decideLanguage(tweet, rule, detector),
  };
}

const REASONS: Record<Exclude<LanguageDecision['outcome'], 'classify'>, UnclassifiedReason> = {
  unsupported: 'UNSUPPORTED_LANGUAGE',
  undetermined: 'UNDETERMINED_LANGUAGE',
};

/** The unclassified record for a tweet the gate kept from the model (the output's tweet fields, the decision, the model, the lineage). */
export function notClassified(
  envelope: Envelope,
  tweet: Tweet,
  decision: LanguageDecision & { outcome: 'unsupported' | 'undetermined' },
  model: ModelInfo,
  gate: Pick<LanguageGate, 'modelLanguages'>,
  processedAt: number,
): TweetUnclassified {
  const source: LanguageSource = decision.source;
  return {
    id: tweet.id,
    text: tweet.text,
    createdAt: tweet.createdAt,
    lang: tweet.lang,
    userId: tweet.userId,
    hashtags: tweet.hashtags,
    language: decision.language ?? null,
    languageSource: source,
    languageConfidence: decision.confidence ?? null,
    reason: REASONS[decision.outcome],
    modelName: model.name,
    modelVersion: model.version,
    modelLanguages: [...gate.modelLanguages],
    processedAt,
    sourceTopic: envelope.topic,
    sourcePartition: envelope.partition,
    sourceOffset: envelope.offset,
  };
}
