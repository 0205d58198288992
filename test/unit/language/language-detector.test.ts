import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLanguageDetector, detectionText, letterProfile } from '../../../src/language';

const corpus = readFileSync(path.resolve(__dirname, '../../fixtures/languages/tweets.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { text: string; lang: string });

describe('createLanguageDetector (tinyld)', () => {
  const detector = createLanguageDetector();

  it.each([
    ['I honestly did not expect the ending of that show, still thinking about it', 'en'],
    ['Hoy por fin terminé el proyecto de la universidad, estoy feliz y muy cansada', 'es'],
    ['今日は朝から雨で電車も遅れていて最悪な一日でした', 'ja'],
    ['الزحمة اليوم في الطريق كانت لا تطاق، تأخرت على العمل ساعة كاملة', 'ar'],
  ])('%j is %s', (text, language) => {
    expect(detector.detect(text)?.language).toBe(language);
  });

  it('names the right language for most fixture texts long enough to detect (6+ letters)', () => {
    const long = corpus.filter((item) => letterProfile(detectionText(item.text)).letters >= 6);
    const right = long.filter((item) => detector.detect(item.text)?.language === item.lang).length;
    expect(right / long.length).toBeGreaterThan(0.85);
  });

  it('calls no non-English fixture text English but one laugh ("wkwkwk", Indonesian, all Latin letters)', () => {
    const calledEnglish = corpus
      .filter((item) => item.lang !== 'en' && detector.detect(item.text)?.language === 'en')
      .map((item) => item.text);
    expect(calledEnglish).toEqual(['wkwkwk']);
  });

  it('answers a confidence between 0 and 1 and a lowercase code', () => {
    for (const { text } of corpus) {
      const detected = detector.detect(text);
      if (detected === undefined) continue;
      expect(detected.language).toMatch(/^[a-z]{2,3}$/);
      expect(detected.confidence).toBeGreaterThan(0);
      expect(detected.confidence).toBeLessThanOrEqual(1);
    }
  });

  it.each([
    ['empty', ''],
    ['emoji only', '😀🎉❤️'],
    ['digits and punctuation', '12345 !!! ...'],
    ['a URL and a mention', '@someone https://t.co/abc'],
    ['lone surrogates', '\ud800\udc00\ud800 hello \udfff'],
    ['control characters', 'hello\u0000\u0007\u001b world\u202e'],
    ['64 KiB', 'the quick brown fox '.repeat(3277)],
    ['64 KiB of one letter', 'a'.repeat(65_536)],
  ])('does not throw on %s', (_name, text) => {
    expect(() => detector.detect(text)).not.toThrow();
  });

  it('gives up (undefined) on texts without letters', () => {
    expect(detector.detect('')).toBeUndefined();
    expect(detector.detect('😀🎉 123 https://t.co/x @who')).toBeUndefined();
  });
});
