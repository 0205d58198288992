import type { LanguageSettings } from '../config/language-settings';
import { normalizeLanguageTag, type LanguageSource } from '../core';
import { detectionText } from './detection-text';
import type { LanguageDetector } from './language-detector';
import { isMostlyLatin, letterProfile } from './letter-profile';

/** What happens to one tweet: classified, not classified (its language is one the model cannot read), or not classified (its language cannot be told). */
export type LanguageOutcome = 'classify' | 'unsupported' | 'undetermined';

export interface LanguageDecision {
  outcome: LanguageOutcome;
  /** The producer's or the detected language (also a low-confidence guess); absent when there is none. */
  language?: string;
  source: LanguageSource;
  /** The detector's confidence, when it was asked and answered. */
  confidence?: number;
  /** False when the language could not be told and the undetermined policy chose the outcome. */
  determined: boolean;
}

/** The inputs of the rule besides the tweet. */
export interface LanguageRule {
  /** The model's languages (lowercase primary subtags). */
  supported: ReadonlySet<string>;
  minConfidence: LanguageSettings['minConfidence'];
  minLetters: LanguageSettings['minLetters'];
  undetermined: LanguageSettings['undetermined'];
}

function known(
  language: string,
  source: LanguageSource,
  rule: LanguageRule,
  confidence?: number,
): LanguageDecision {
  const outcome = rule.supported.has(language) ? 'classify' : 'unsupported';
  return { outcome, language, source, ...(confidence === undefined ? {} : { confidence }), determined: true };
}

/**
 * The per-tweet rule (docs/language.md): a producer `lang` that names a language is trusted; otherwise the
 * detector's top language decides (mixed texts included), if the text has at least `minLetters` letters and
 * the detector is at least `minConfidence` sure; everything else is undetermined and follows the `undetermined`
 * policy. Texts too short to detect are not shown to the detector at all: on "lmao" or "idk" it answers
 * Berber or Esperanto with full confidence.
 */
export function decideLanguage(
  tweet: { text: string; lang: string | null },
  rule: LanguageRule,
  detector: LanguageDetector,
): LanguageDecision {
  const producer = normalizeLanguageTag(tweet.lang);
  if (producer !== undefined) return known(producer, 'producer', rule);

  const words = detectionText(tweet.text);
  const profile = letterProfile(words);
  const detected = profile.letters >= rule.minLetters ? detector.detect(words) : undefined;
  if (detected !== undefined && detected.confidence >= rule.minConfidence) {
    return known(detected.language, 'detected', rule, detected.confidence);
  }

  const classify =
    rule.undetermined === 'classify' || (rule.undetermined === 'latin' && isMostlyLatin(profile));
  return {
    outcome: classify ? 'classify' : 'undetermined',
    ...(detected === undefined
      ? { source: 'none' as const }
      : { language: detected.language, source: 'detected' as const, confidence: detected.confidence }),
    determined: false,
  };
}
