// The undetermined-text policy, the letter minimum and the confidence threshold, measured on the corpus with the
// chosen detector and the worker's own rule (decideLanguage), for an English-only model and tweets without `lang`.
import { DEFAULT_LANGUAGE_SETTINGS, UNDETERMINED_POLICIES } from '../../src/config/language-settings';
import { createLanguageDetector, decideLanguage, type LanguageRule } from '../../src/language';
import type { LabelledText } from './corpus';

const THRESHOLDS = [0, 0.2, 0.4, 0.6];
const MIN_LETTERS = [1, 4, 6, 8, 10, 12];

const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)} %`;

const ruleOf = (overrides: Partial<LanguageRule> = {}): LanguageRule => ({
  supported: new Set(['en']),
  minConfidence: DEFAULT_LANGUAGE_SETTINGS.minConfidence,
  minLetters: DEFAULT_LANGUAGE_SETTINGS.minLetters,
  undetermined: DEFAULT_LANGUAGE_SETTINGS.undetermined,
  ...overrides,
});

export function printPolicyTable(corpus: LabelledText[]): void {
  const detector = createLanguageDetector();
  const groups = {
    english: corpus.filter((item) => item.lang === 'en'),
    shortEnglish: corpus.filter((item) => item.lang === 'en' && item.short),
    foreign: corpus.filter((item) => item.lang !== 'en'),
    shortForeign: corpus.filter((item) => item.lang !== 'en' && item.short),
  };
  process.stdout.write(
    `\nrule: decideLanguage, model languages {en}, no producer lang (${groups.shortEnglish.length} short English, ` +
      `${groups.shortForeign.length} short non-English texts)\n` +
      '| LANGUAGE_UNDETERMINED | LANGUAGE_MIN_LETTERS | LANGUAGE_MIN_CONFIDENCE | English classified | short English classified | non-English classified (wrong) | short non-English classified (wrong) |\n' +
      '|---|---|---|---|---|---|---|\n',
  );
  for (const undetermined of UNDETERMINED_POLICIES) {
    for (const minLetters of MIN_LETTERS) {
      for (const minConfidence of THRESHOLDS) {
        const rule = ruleOf({ minConfidence, minLetters, undetermined });
        const classified = (items: LabelledText[]) =>
          items.filter(
            (item) => decideLanguage({ text: item.text, lang: null }, rule, detector).outcome === 'classify',
          ).length;
        const cells = Object.values(groups).map((items) => percent(classified(items), items.length));
        process.stdout.write(
          `| ${undetermined} | ${minLetters} | ${minConfidence} | ${cells.join(' | ')} |\n`,
        );
      }
    }
  }
}

/** decideLanguage's cost per tweet without `lang` (detection included, default rule), for the throughput comparison. */
export function ruleThroughput(corpus: LabelledText[], seconds: number): number {
  const detector = createLanguageDetector();
  const rule = ruleOf();
  let done = 0;
  const started = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - started) / 1e9 < seconds) {
    for (const item of corpus) decideLanguage({ text: item.text, lang: null }, rule, detector);
    done += corpus.length;
  }
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}
