// The undetermined-text policy and the confidence threshold, measured on the corpus with the chosen detector
// and the worker's own rule (decideLanguage), for an English-only model and tweets without `lang`.
import { UNDETERMINED_POLICIES } from '../../src/config/language-settings';
import { createLanguageDetector, decideLanguage } from '../../src/language';
import type { LabelledText } from './corpus';

const THRESHOLDS = [0, 0.2, 0.3, 0.4, 0.5, 0.7];

const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)} %`;

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
      '| LANGUAGE_UNDETERMINED | LANGUAGE_MIN_CONFIDENCE | English classified | short English classified | non-English classified (wrong) | short non-English classified (wrong) |\n' +
      '|---|---|---|---|---|---|\n',
  );
  for (const undetermined of UNDETERMINED_POLICIES) {
    for (const minConfidence of THRESHOLDS) {
      const rule = { supported: new Set(['en']), minConfidence, undetermined };
      const classified = (items: LabelledText[]) =>
        items.filter(
          (item) => decideLanguage({ text: item.text, lang: null }, rule, detector).outcome === 'classify',
        ).length;
      const cells = Object.values(groups).map((items) => percent(classified(items), items.length));
      process.stdout.write(`| ${undetermined} | ${minConfidence} | ${cells.join(' | ')} |\n`);
    }
  }
}

/** decideLanguage's cost per tweet without `lang` (detection included), for the throughput comparison. */
export function ruleThroughput(corpus: LabelledText[], seconds: number): number {
  const detector = createLanguageDetector();
  const rule = { supported: new Set(['en']), minConfidence: 0.5, undetermined: 'latin' as const };
  let done = 0;
  const started = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - started) / 1e9 < seconds) {
    for (const item of corpus) decideLanguage({ text: item.text, lang: null }, rule, detector);
    done += corpus.length;
  }
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}
