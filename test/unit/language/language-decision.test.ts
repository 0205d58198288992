import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { UndeterminedPolicy } from '../../../src/config/language-settings';
import {
  createLanguageDetector,
  decideLanguage,
  type LanguageDetector,
  type LanguageRule,
} from '../../../src/language';

const detector = createLanguageDetector();
const rule = (
  undetermined: UndeterminedPolicy = 'latin',
  minConfidence = 0.2,
  minLetters = 6,
): LanguageRule => ({
  supported: new Set(['en']),
  minConfidence,
  minLetters,
  undetermined,
});
// A detector that records whether it was asked (the producer's lang must make it unnecessary).
const spy = (): LanguageDetector & { calls: number } => {
  const wrapped = {
    calls: 0,
    detect(text: string) {
      wrapped.calls += 1;
      return detector.detect(text);
    },
  };
  return wrapped;
};

describe('decideLanguage', () => {
  it("trusts the producer's lang, normalised, without detecting", () => {
    const asked = spy();
    expect(decideLanguage({ text: 'Hola amigos, qué tal', lang: 'en-GB' }, rule(), asked)).toEqual({
      outcome: 'classify',
      language: 'en',
      source: 'producer',
      determined: true,
    });
    expect(decideLanguage({ text: 'good morning everyone', lang: 'ES' }, rule(), asked)).toMatchObject({
      outcome: 'unsupported',
      language: 'es',
      source: 'producer',
    });
    expect(asked.calls).toBe(0);
  });

  it.each([['und'], ['qme'], ['zxx'], [''], ['garbage!!'], [null]])(
    'detects when lang is %p (names no language)',
    (lang) => {
      const decision = decideLanguage(
        { text: 'Le match d’hier soir était vraiment incroyable', lang },
        rule(),
        detector,
      );
      expect(decision).toMatchObject({
        outcome: 'unsupported',
        language: 'fr',
        source: 'detected',
        determined: true,
      });
      expect(decision.confidence).toBeGreaterThanOrEqual(0.2);
    },
  );

  it('classifies detected English', () => {
    expect(
      decideLanguage(
        { text: 'Just finished my first marathon!!! Legs are dead but my heart is full', lang: null },
        rule(),
        detector,
      ),
    ).toMatchObject({ outcome: 'classify', language: 'en', source: 'detected', determined: true });
  });

  it.each([
    ['I love you. Te quiero mucho amigo mío, qué tal estás hoy', 'unsupported', 'es'],
    ['omg this is the best day of my life, gracias amigos', 'classify', 'en'],
  ])('lets the top language decide a mixed text: %j', (text, outcome, language) => {
    expect(decideLanguage({ text, lang: null }, rule(), detector)).toMatchObject({
      outcome,
      language,
      source: 'detected',
    });
  });

  it.each([
    ['no letters', '😀🎉 123'],
    ['too few letters', 'ok 👍 lol'],
    ['only a mention and a URL', '@jamie https://t.co/x'],
  ])('calls a text with %s undetermined (source none)', (_name, text) => {
    expect(decideLanguage({ text, lang: null }, rule('skip'), detector)).toEqual({
      outcome: 'undetermined',
      source: 'none',
      determined: false,
    });
  });

  it('applies the undetermined policy: classify, skip, or latin (by script)', () => {
    const latinShort = { text: 'ok 👍', lang: null };
    const cyrillicShort = { text: 'да', lang: null };
    const emojiOnly = { text: '😀😀', lang: null };
    expect(decideLanguage(latinShort, rule('classify'), detector).outcome).toBe('classify');
    expect(decideLanguage(cyrillicShort, rule('classify'), detector).outcome).toBe('classify');
    expect(decideLanguage(latinShort, rule('skip'), detector).outcome).toBe('undetermined');
    expect(decideLanguage(latinShort, rule('latin'), detector)).toMatchObject({
      outcome: 'classify',
      determined: false,
    });
    expect(decideLanguage(cyrillicShort, rule('latin'), detector).outcome).toBe('undetermined');
    expect(decideLanguage(emojiOnly, rule('latin'), detector).outcome).toBe('undetermined');
  });

  it('does not ask the detector about texts under minLetters (it is confidently wrong on them)', () => {
    const lmao = { text: 'lmao 😂😂', lang: null };
    expect(decideLanguage(lmao, rule('latin', 0.2, 6), detector)).toEqual({
      outcome: 'classify',
      source: 'none',
      determined: false,
    });
    expect(decideLanguage(lmao, rule('latin', 0.2, 1), detector)).toMatchObject({
      outcome: 'unsupported',
      source: 'detected',
    });
  });

  it('keeps a low-confidence guess as the language of an undetermined text', () => {
    const decision = decideLanguage(
      { text: 'Traffic on the bridge again. Forty minutes to move two miles', lang: null },
      rule('skip', 0.99),
      detector,
    );
    expect(decision).toMatchObject({
      outcome: 'undetermined',
      language: 'en',
      source: 'detected',
      determined: false,
    });
    expect(decision.confidence).toBeLessThan(0.99);
  });

  it('with the defaults, classifies the English fixture texts and no text of a non-Latin script', () => {
    const corpus = readFileSync(path.resolve(__dirname, '../../fixtures/languages/tweets.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { text: string; lang: string });
    const classified = (item: { text: string }) =>
      decideLanguage({ text: item.text, lang: null }, rule(), detector).outcome === 'classify';
    const english = corpus.filter((item) => item.lang === 'en');
    expect(english.filter(classified).length / english.length).toBeGreaterThan(0.9);
    const nonLatin = corpus.filter((item) => ['ja', 'zh', 'ko', 'ar', 'ru', 'hi', 'th'].includes(item.lang));
    expect(nonLatin.filter(classified)).toEqual([]);
  });

  it('never throws on hostile text', () => {
    for (const text of [
      '',
      '\ud800',
      '\u0000'.repeat(100),
      'x'.repeat(65_536),
      '#'.repeat(1000),
      '@'.repeat(1000),
    ]) {
      expect(() => decideLanguage({ text, lang: '\ud800' }, rule(), detector)).not.toThrow();
    }
  });
});
