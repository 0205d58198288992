export { createLanguageDetector, type DetectedLanguage, type LanguageDetector } from './language-detector';
export {
  decideLanguage,
  type LanguageDecision,
  type LanguageOutcome,
  type LanguageRule,
} from './language-decision';
export { detectionText, MAX_DETECTION_CHARS } from './detection-text';
export { isMostlyLatin, letterProfile, type LetterProfile } from './letter-profile';
export { resolveModelLanguages } from './model-languages';
