import { evaluatePredictions, formatReport, parseLabelledText } from '../../../../src/inference/evaluation';

describe('evaluatePredictions', () => {
  const labels = ['a', 'b', 'c'];

  it('computes per-class P/R/F1, confusion, accuracy and macro-F1', () => {
    const truth = ['a', 'a', 'a', 'b', 'b', 'c'];
    const predicted = ['a', 'a', 'b', 'b', 'a', 'c'];
    const m = evaluatePredictions(labels, truth, predicted);
    expect(m.confusion).toEqual([
      [2, 1, 0, 0],
      [1, 1, 0, 0],
      [0, 0, 1, 0],
    ]);
    expect(m.accuracy).toBeCloseTo(4 / 6);
    expect(m.perClass[0]).toMatchObject({ label: 'a', precision: 2 / 3, recall: 2 / 3, support: 3 });
    expect(m.perClass[1].precision).toBeCloseTo(1 / 2);
    expect(m.perClass[1].recall).toBeCloseTo(1 / 2);
    expect(m.perClass[2].f1).toBe(1);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 1 / 2 + 1) / 3);
  });

  it('counts failed predictions as wrong, in their own column', () => {
    const m = evaluatePredictions(labels, ['a', 'b'], ['a', null]);
    expect(m.failed).toBe(1);
    expect(m.accuracy).toBe(0.5);
    expect(m.confusion[1]).toEqual([0, 0, 0, 1]);
    expect(formatReport(m, 10, 0.2)).toContain('(failed)');
  });

  it('gives 0, not NaN, for a class never predicted', () => {
    const m = evaluatePredictions(labels, ['a', 'c'], ['a', 'a']);
    expect(m.perClass[2]).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(m.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
  });
});

describe('parseLabelledText', () => {
  it('skips the header, splits at the last semicolon, maps numeric labels', () => {
    const rows = parseLabelledText('text;label_name\ni feel; odd;joy\r\n\nsecond;0\n', 'test', [
      'sadness',
      'joy',
    ]);
    expect(rows).toEqual([
      { line: 2, text: 'i feel; odd', label: 'joy' },
      { line: 4, text: 'second', label: 'sadness' },
    ]);
  });

  it('names the line without a label', () => {
    expect(() => parseLabelledText('text;label_name\nno label here\n', 'data.txt')).toThrow('data.txt:2');
  });
});
