import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { register as registerClassify } from '../../../src/cli/classify';
import { register as registerEval } from '../../../src/cli/eval';
import { register as registerTokenize } from '../../../src/cli/tokenize';
import { TINY_MODEL_DIR } from '../inference/fixture-dir';

const REPO = path.resolve(__dirname, '..', '..', '..');

/** Runs one subcommand in-process and returns what it wrote to stdout. */
async function run(
  register: (program: Command) => void,
  args: string[],
): Promise<{ stdout: string; exitCode: number | undefined }> {
  const program = new Command('emotion-stream').exitOverride();
  register(program);
  let stdout = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'emotion-stream', ...args]);
    return { stdout, exitCode: process.exitCode as number | undefined };
  } finally {
    spy.mockRestore();
    process.exitCode = previousExitCode;
  }
}

describe('inference CLIs (tiny fixture)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'emotion-cli-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('tokenize prints exactly one {"ids"} line per input line, empty lines included', async () => {
    const nasty = (
      await readFile(path.join(REPO, 'test', 'fixtures', 'tokenizer-reference', 'nasty.jsonl'), 'utf8')
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { text: string; ids: number[] })
      .filter((row) => !/[\n\r]/.test(row.text));
    const input = path.join(dir, 'tokenize.txt');
    await writeFile(input, `${nasty.map((row) => row.text).join('\n')}\n\nlast line\n`);
    const { stdout } = await run(registerTokenize, [
      'tokenize',
      '--model',
      TINY_MODEL_DIR,
      '--format',
      'text',
      input,
    ]);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { ids: number[] });
    expect(lines).toHaveLength(nasty.length + 2);
    nasty.forEach((row, i) => expect(lines[i].ids).toEqual(row.ids));
    expect(lines[nasty.length].ids).toEqual([101, 102]);
  });

  it('tokenize reads stdin when no file is given (as a real process)', async () => {
    const child = execFile(
      path.join(REPO, 'node_modules', '.bin', 'tsx'),
      ['src/cli/main.ts', 'tokenize', '--model', TINY_MODEL_DIR],
      { cwd: REPO },
    );
    child.stdin?.end('i feel great\n\n\nok\n');
    const stdout = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
    });
    expect(stdout.trimEnd().split('\n')).toEqual([
      '{"ids":[101,1045,2514,2307,102]}',
      '{"ids":[101,102]}',
      '{"ids":[101,102]}',
      '{"ids":[101,7929,102]}',
    ]);
  });

  it('classify turns text and JSONL lines into {text,label,score,scores}, one per line, errors in place', async () => {
    const input = path.join(dir, 'classify.jsonl');
    await writeFile(input, 'i feel great\n{"text":"i am furious","id":"7"}\n{"text":5}\n');
    const auto = await run(registerClassify, ['classify', '--model', TINY_MODEL_DIR, input]);
    const rows = auto.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((row) => row.text)).toEqual(['i feel great', 'i am furious', '{"text":5}']);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['text', 'label', 'score', 'scores']);
      expect(Object.keys(row.scores as object)).toEqual([
        'sadness',
        'joy',
        'love',
        'anger',
        'fear',
        'surprise',
      ]);
    }
    expect(auto.exitCode).toBeUndefined();

    const strict = await run(registerClassify, [
      'classify',
      '--model',
      TINY_MODEL_DIR,
      '--format',
      'jsonl',
      input,
    ]);
    const strictRows = strict.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(strictRows).toHaveLength(3);
    expect(strictRows[0]).toMatchObject({ line: 1, error: expect.stringContaining('not JSON') });
    expect(strictRows[1]).toMatchObject({ text: 'i am furious' });
    expect(strictRows[2]).toMatchObject({ line: 3, error: expect.stringContaining('no string "text"') });
    expect(strict.exitCode).toBe(1);
  });

  it('eval prints the report and, last, one JSON summary line', async () => {
    const data = path.join(dir, 'labelled.txt');
    await writeFile(
      data,
      'text;label_name\ni feel sad;sadness\ni feel great;joy\nso much love;love\nangry now;anger\n',
    );
    const { stdout } = await run(registerEval, [
      'eval',
      '--model',
      TINY_MODEL_DIR,
      '--data',
      data,
      '--batch-size',
      '2',
    ]);
    expect(stdout).toContain('confusion matrix');
    expect(stdout).toContain('macro-F1');
    const last = JSON.parse(stdout.trimEnd().split('\n').pop() as string) as Record<string, number>;
    expect(Object.keys(last)).toEqual(['accuracy', 'macro_f1', 'n', 'tweets_per_s']);
    expect(last.n).toBe(4);
    expect(last.tweets_per_s).toBeGreaterThan(0);
  });

  it('eval refuses labels the model does not know', async () => {
    const data = path.join(dir, 'unknown.txt');
    await writeFile(data, 'text;label_name\nhmm;boredom\n');
    await expect(run(registerEval, ['eval', '--model', TINY_MODEL_DIR, '--data', data])).rejects.toThrow(
      'labels the model does not know: boredom',
    );
  });

  it('says which model folder is missing', async () => {
    await expect(
      run(registerClassify, [
        'classify',
        '--model',
        path.join(dir, 'no-model'),
        path.join(dir, 'classify.jsonl'),
      ]),
    ).rejects.toMatchObject({
      code: 'MODEL_DIR_MISSING',
    });
  });
});
