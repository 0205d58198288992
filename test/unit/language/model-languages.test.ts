import { resolveModelLanguages } from '../../../src/language';

const model = { name: 'm', version: '1', labels: ['joy'] };

describe('resolveModelLanguages', () => {
  it("uses the model's declaration without a warning", () => {
    const warnings: string[] = [];
    expect([
      ...resolveModelLanguages({ ...model, languages: ['en', 'de'] }, ['fr'], (line) => warnings.push(line)),
    ]).toEqual(['en', 'de']);
    expect(warnings).toEqual([]);
  });

  it('falls back to MODEL_LANGUAGES with one warning naming the model', () => {
    const warnings: string[] = [];
    expect([...resolveModelLanguages(model, ['en'], (line) => warnings.push(line))]).toEqual(['en']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/model m 1 does not declare its languages.*MODEL_LANGUAGES=en/);
  });
});
