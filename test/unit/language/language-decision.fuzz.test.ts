import fc from 'fast-check';
import type { UndeterminedPolicy } from '../../../src/config/language-settings';
import { createLanguageDetector, decideLanguage, type LanguageDecision } from '../../../src/language';
import { fuzzOptions } from '../../support/fuzz-runs';

// Hostile input for the language gate: the tweet's text and lang come from producers, and the gate runs
// on every record before the model, so no text or tag may make it throw or answer outside its contract.
const detector = createLanguageDetector();
const policies: UndeterminedPolicy[] = ['classify', 'skip', 'latin'];

const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  // Lone surrogates, controls, bidi overrides and zero-width characters between words.
  fc
    .array(fc.constantFrom('\ud800', '\udfff', '\u0000', '\u202e', '\u200b', '\ufeff', 'hola', 'love', '東京', '🙂', ' '), {
      maxLength: 60,
    })
    .map((parts) => parts.join('')),
  // Long texts: the detector reads a bounded prefix.
  fc.string({ unit: 'grapheme-ascii', minLength: 2000, maxLength: 70_000 }),
);
const hostileLang = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 80 }),
  fc.constantFrom('en', 'EN-gb', 'pt_BR', 'und', 'zxx', 'qme', '__proto__', 'constructor', 'x-', '-', ''),
);

function checkDecision(decision: LanguageDecision): void {
  expect(['classify', 'unsupported', 'undetermined']).toContain(decision.outcome);
  expect(['producer', 'detected', 'none']).toContain(decision.source);
  if (decision.language !== undefined) expect(decision.language).toMatch(/^[a-z]{2,3}$/);
  if (decision.confidence !== undefined) {
    expect(decision.confidence).toBeGreaterThanOrEqual(0);
    expect(decision.confidence).toBeLessThanOrEqual(1);
  }
}

describe('hostile input: the language decision', () => {
  it('never throws and always answers within its contract, whatever the text and lang', () => {
    fc.assert(
      fc.property(hostileText, hostileLang, fc.constantFrom(...policies), (text, lang, undetermined) => {
        const rule = { supported: new Set(['en']), minConfidence: 0.2, minLetters: 6, undetermined };
        checkDecision(decideLanguage({ text, lang }, rule, detector));
      }),
      fuzzOptions(150),
    );
  });
});
