// The texts bench/language.ts measures on: the hand-written multilingual tweets
// (test/fixtures/languages/tweets.jsonl) and English tweets from the emotion validation split.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VALIDATION_SPLIT_PATH } from '../../test/support/validation-split';

export interface LabelledText {
  text: string;
  /** ISO 639-1 code of the language the text is written in. */
  lang: string;
  /** 1–4 words (or ≤ 10 letters in a script written without spaces): the hard case. */
  short: boolean;
  origin: 'hand-written' | 'validation split';
}

export const MULTILINGUAL_CORPUS_PATH = path.resolve(
  __dirname,
  '..',
  '..',
  'test',
  'fixtures',
  'languages',
  'tweets.jsonl',
);

const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** Short = what a detector sees after the URLs and @mentions: few words, or few letters in CJK/Thai. */
export function isShortText(text: string): boolean {
  const words = text
    .split(/\s+/)
    .filter((token) => token !== '' && !/^(https?:\/\/|@)/i.test(token) && /\p{L}/u.test(token));
  const letters = words.join('').match(/\p{L}/gu)?.length ?? 0;
  return UNSPACED_SCRIPT.test(words.join('')) ? letters <= 10 : words.length <= 4;
}

export function loadMultilingualCorpus(): LabelledText[] {
  return readFileSync(MULTILINGUAL_CORPUS_PATH, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const { text, lang } = JSON.parse(line) as { text: string; lang: string };
      return { text, lang, short: isShortText(text), origin: 'hand-written' as const };
    });
}

/** The first `count` texts of the validation split (English tweets, lower-cased, no punctuation). */
export function loadValidationEnglish(count: number): LabelledText[] {
  return readFileSync(VALIDATION_SPLIT_PATH, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.includes(';'))
    .slice(0, count)
    .map((line) => {
      const text = line.slice(0, line.lastIndexOf(';'));
      return { text, lang: 'en', short: isShortText(text), origin: 'validation split' as const };
    });
}
