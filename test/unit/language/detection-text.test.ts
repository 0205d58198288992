import { detectionText, isMostlyLatin, letterProfile, MAX_DETECTION_CHARS } from '../../../src/language';

describe('detectionText', () => {
  it('drops URLs, @mentions, # signs and control characters, keeping the words', () => {
    expect(detectionText('@jamie love this https://t.co/a1b2 #MondayMotivation\u0000 www.x.io/y ok')).toBe(
      'love this MondayMotivation ok',
    );
  });

  it('leaves no lone surrogate, even when one is cut at the length bound', () => {
    const emoji = '😀'.repeat(MAX_DETECTION_CHARS);
    for (const text of ['\ud800abc', 'abc\udfff', `x${emoji}`, emoji]) {
      const result = detectionText(text);
      expect(result.length).toBeLessThanOrEqual(MAX_DETECTION_CHARS);
      expect(/\p{Cs}/u.test(result)).toBe(false);
    }
  });

  it('bounds the text it returns for a 64 KiB input', () => {
    expect(detectionText('word '.repeat(13_108)).length).toBeLessThanOrEqual(MAX_DETECTION_CHARS);
  });
});

describe('letterProfile', () => {
  it('counts letters and the Latin ones', () => {
    expect(letterProfile('abc 123 дом 😀')).toEqual({ letters: 6, latinLetters: 3 });
    expect(isMostlyLatin(letterProfile('abc дом'))).toBe(true);
    expect(isMostlyLatin(letterProfile('ab доме'))).toBe(false);
    expect(isMostlyLatin(letterProfile('😀 123'))).toBe(false);
  });
});
