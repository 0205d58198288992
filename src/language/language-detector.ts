import { detectAll } from 'tinyld';
import { normalizeLanguageTag } from '../core';
import { detectionText } from './detection-text';

/** The detector's top language for a text. */
export interface DetectedLanguage {
  /** Lowercase ISO 639-1 code. */
  language: string;
  /**
   * The top language's share of the scores tinyld gave all candidate languages (0..1; 1 = no other language
   * scored). tinyld's raw scores are not probabilities (a clear English sentence may score 0.06) and it
   * reports no reliability flag, so this share is the measure of how sure it is.
   */
  confidence: number;
}

export interface LanguageDetector {
  /** The top language of any string, or undefined when the text gives the detector nothing to go on. Never throws. */
  detect(text: string): DetectedLanguage | undefined;
}

/** tinyld 1.3.4 (normal profile): chosen by `npm run bench:language`, see docs/language.md. */
export function createLanguageDetector(): LanguageDetector {
  return {
    detect(text) {
      const words = detectionText(String(text));
      if (words === '') return undefined;
      let scores: Array<{ lang: string; accuracy: number }>;
      try {
        scores = detectAll(words);
      } catch {
        return undefined; // a library fault on odd input means "undetermined", never a crashed replica
      }
      const top = scores[0];
      const total = scores.reduce((sum, score) => sum + score.accuracy, 0);
      const language = normalizeLanguageTag(top?.lang);
      if (top === undefined || language === undefined || !(total > 0) || !Number.isFinite(total))
        return undefined;
      return { language, confidence: Math.min(1, Math.max(0, top.accuracy / total)) };
    },
  };
}
