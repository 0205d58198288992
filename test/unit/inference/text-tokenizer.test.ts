import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readLabelledFile } from '../../../src/inference/evaluation/labelled-dataset';
import { loadModelDirectory, type LoadedModel } from '../../../src/inference';
import { TINY_MODEL_DIR } from './fixture-dir';
import { VALIDATION_SPLIT_PATH } from '../../support/validation-split';

// Reference ids come from the Python `tokenizers` package (scripts/fixtures/tokenizer_reference.py);
// the tokenizer under test is built by the same loader the engine uses.
const REFERENCE_DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'tokenizer-reference');

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

describe('tokenizer (tiny fixture, bert-base-uncased tokenizer.json)', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadModelDirectory(TINY_MODEL_DIR);
  });

  it('reads max length from config.json emotion_stream.max_length', () => {
    expect(model.tokenizer.maxLength).toBe(128);
    expect(model.tokenizer.padId).toBe(0);
  });

  const nasty = readJsonl<{ name: string; text: string; ids: number[] }>(
    path.join(REFERENCE_DIR, 'nasty.jsonl'),
  );
  it.each(nasty.map((row) => [row.name, row] as const))(
    'matches Python tokenizers on nasty input: %s',
    (_name, row) => {
      expect(model.tokenizer.encode(row.text)).toEqual(row.ids);
    },
  );

  it('covers the required nasty cases', () => {
    const names = nasty.map((row) => row.name);
    for (const required of [
      'empty',
      'emoji',
      'cjk',
      'accents',
      'fullwidth',
      'zero-width',
      'url',
      'mention-hashtag',
      'long-text-10000',
      'lone-high-surrogate',
      'lone-low-surrogate',
    ]) {
      expect(names).toContain(required);
    }
    expect(nasty.find((row) => row.name === 'long-text-10000')?.text).toHaveLength(10_000);
  });

  it('truncates to max length keeping [CLS] and [SEP]', () => {
    const ids = model.tokenizer.encode('happy '.repeat(1000));
    expect(ids).toHaveLength(128);
    expect(ids[0]).toBe(101);
    expect(ids[127]).toBe(102);
  });

  it(`matches Python tokenizers on every line of the val split (${VALIDATION_SPLIT_PATH})`, async () => {
    const valFile = VALIDATION_SPLIT_PATH;
    if (!existsSync(valFile)) {
      throw new Error(
        `missing ${valFile}: the validation fixture is part of the repo (EMOTION_DATA_DIR overrides its folder)`,
      );
    }
    const reference = readJsonl<{ line: number; sha256: string; ids: number[] }>(
      path.join(REFERENCE_DIR, 'val.jsonl'),
    );
    const examples = await readLabelledFile(valFile);
    expect(examples).toHaveLength(reference.length);
    const mismatches: string[] = [];
    examples.forEach((example, i) => {
      const expected = reference[i];
      expect(example.line).toBe(expected.line);
      expect(createHash('sha256').update(example.text, 'utf8').digest('hex')).toBe(expected.sha256);
      const ids = model.tokenizer.encode(example.text);
      if (JSON.stringify(ids) !== JSON.stringify(expected.ids)) mismatches.push(`line ${example.line}`);
    });
    expect(mismatches).toEqual([]);
    expect(reference.length).toBe(2000);
  });
});
