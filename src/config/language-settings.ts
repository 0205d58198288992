/**
 * What to do with a tweet whose language cannot be told (no letters, too short, or the detector is unsure):
 * `classify` it anyway, `skip` it (not classified, reason UNDETERMINED_LANGUAGE), or classify it only when
 * its letters are mostly `latin` script (short English tweets kept, short Arabic/CJK/Cyrillic ones not).
 */
export type UndeterminedPolicy = 'classify' | 'skip' | 'latin';

export const UNDETERMINED_POLICIES: readonly UndeterminedPolicy[] = ['classify', 'skip', 'latin'];

/** The per-tweet language gate's settings (docs/language.md). */
export interface LanguageSettings {
  /** Decide each tweet's language and classify only what the model reads. @defaultValue true (`LANGUAGE_GATE`) */
  gate: boolean;
  /** Below this detector confidence (0..1) a detected language counts as undetermined. @defaultValue 0.2 (`LANGUAGE_MIN_CONFIDENCE`) */
  minConfidence: number;
  /**
   * Texts with fewer letters (after URLs and @mentions are removed) are too short to detect and count as
   * undetermined. @defaultValue 6 (`LANGUAGE_MIN_LETTERS`)
   */
  minLetters: number;
  /** @defaultValue `latin` (`LANGUAGE_UNDETERMINED`) */
  undetermined: UndeterminedPolicy;
  /** Languages of a model whose config.json does not declare them. @defaultValue `['en']` (`MODEL_LANGUAGES`) */
  modelLanguages: string[];
}

export const DEFAULT_LANGUAGE_SETTINGS: Readonly<LanguageSettings> = {
  gate: true,
  minConfidence: 0.2,
  minLetters: 6,
  undetermined: 'latin',
  modelLanguages: ['en'],
};
