import { normalizeLanguageTag } from '../../../src/core';

// A small seeded generator (no fast-check in the project): the same hostile strings every run.
function* hostileStrings(count: number): Generator<string> {
  let seed = 0x9e3779b9;
  const next = () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
  const alphabet = [
    'a',
    'Z',
    '-',
    '_',
    ' ',
    '\u0000',
    '\ud800',
    '\udfff',
    'é',
    '漢',
    '😀',
    '9',
    '\n',
    'x',
    'Q',
  ];
  for (let i = 0; i < count; i += 1) {
    const length = Math.floor(next() * 20);
    yield Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  }
}

describe('normalizeLanguageTag', () => {
  it.each([
    ['en', 'en'],
    ['EN', 'en'],
    ['en-GB', 'en'],
    ['en_us', 'en'],
    ['pt_BR', 'pt'],
    ['zh-Hant-TW', 'zh'],
    ['zh-cn', 'zh'],
    ['sr-Latn-RS', 'sr'],
    ['fil', 'fil'],
    [' es ', 'es'],
    ['in', 'id'],
    ['iw', 'he'],
  ])('%j -> %j', (tag, expected) => {
    expect(normalizeLanguageTag(tag)).toBe(expected);
  });

  it.each([
    ['und'],
    ['zxx'],
    ['qme'],
    ['qht'],
    ['qam'],
    ['qst'],
    ['mul'],
    ['QAM'],
    ['qaa'],
    [''],
    ['   '],
    ['e'],
    ['english'],
    ['en--GB'],
    ['en-'],
    ['-en'],
    ['en GB'],
    ['en!'],
    ['1a'],
    ['x-klingon'],
    ['i-klingon'],
    ['en-verylongsubtag'],
    ['en-' + 'a'.repeat(100)],
    ['\u0000en'],
    ['\ud800'],
    ['日本語'],
  ])('%j names no language', (tag) => {
    expect(normalizeLanguageTag(tag)).toBeUndefined();
  });

  it.each([[null], [undefined], [42], [{}], [['en']], [Symbol('en')]])(
    '%p (not a string) names no language',
    (tag) => {
      expect(normalizeLanguageTag(tag)).toBeUndefined();
    },
  );

  it('never throws and returns only 2-3 lowercase letters, idempotently, for any string', () => {
    for (const tag of hostileStrings(5000)) {
      const language = normalizeLanguageTag(tag);
      if (language === undefined) continue;
      expect(language).toMatch(/^[a-z]{2,3}$/);
      expect(normalizeLanguageTag(language)).toBe(language);
    }
  });

  it('ignores everything after the primary subtag', () => {
    for (const tag of hostileStrings(500)) {
      const suffix = tag.replace(/[^a-z0-9]/gi, '').slice(0, 8);
      if (suffix === '') continue;
      expect(normalizeLanguageTag(`de-${suffix}`)).toBe('de');
    }
  });
});
