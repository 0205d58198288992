import type { LanguageSettings } from '../config/language-settings';
import type {
  Envelope,
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
import { processedTweet } from './enrich';

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

/** A decision that keeps the tweet from the model. */
export type UnclassifiedDecision = LanguageDecision & { outcome: 'unsupported' | 'undetermined' };

const isUnclassified = (decision: LanguageDecision): decision is UnclassifiedDecision =>
  decision.outcome !== 'classify';

/**
 * Splits decoded tweets by the gate: those for the model, and those it cannot read (with their decision).
 * Without a gate every tweet is for the model. `onDecision` sees each decision (span attributes).
 */
export function splitByLanguage<T extends { envelope: Envelope; tweet: Tweet }>(
  items: readonly T[],
  gate: LanguageGate | undefined,
  onDecision: (envelope: Envelope, decision: LanguageDecision) => void,
): { forModel: T[]; kept: Array<T & { decision: UnclassifiedDecision }>; decisions: LanguageDecision[] } {
  if (!gate) return { forModel: [...items], kept: [], decisions: [] };
  const forModel: T[] = [];
  const kept: Array<T & { decision: UnclassifiedDecision }> = [];
  const decisions: LanguageDecision[] = [];
  for (const item of items) {
    const decision = gate.decide(item.tweet);
    decisions.push(decision);
    onDecision(item.envelope, decision);
    if (isUnclassified(decision)) kept.push({ ...item, decision });
    else forModel.push(item);
  }
  return { forModel, kept, decisions };
}

const REASONS: Record<UnclassifiedDecision['outcome'], UnclassifiedReason> = {
  unsupported: 'UNSUPPORTED_LANGUAGE',
  undetermined: 'UNDETERMINED_LANGUAGE',
};

/** The unclassified record for a tweet the gate kept from the model (the output's tweet fields, the decision, the model, the lineage). */
export function notClassified(
  envelope: Envelope,
  tweet: Tweet,
  decision: UnclassifiedDecision,
  model: ModelInfo,
  gate: Pick<LanguageGate, 'modelLanguages'>,
  processedAt: number,
): TweetUnclassified {
  return {
    ...processedTweet(envelope, tweet, model, processedAt),
    language: decision.language ?? null,
    languageSource: decision.source,
    languageConfidence: decision.confidence ?? null,
    reason: REASONS[decision.outcome],
    modelLanguages: [...gate.modelLanguages],
  };
}
