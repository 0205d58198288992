import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TINY_MODEL_DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'tiny-distilbert');
export const TEST_GRAPHS_DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'onnx-graphs');

/** A throw-away copy of the tiny model, for tests that break it on purpose. */
export async function copyTinyModel(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), 'emotion-model-'));
  const dir = path.join(root, 'tiny-copy');
  await cp(TINY_MODEL_DIR, dir, { recursive: true });
  return { dir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Rewrites config.json through `edit` (which mutates the parsed object). */
export async function editConfig(
  dir: string,
  edit: (config: Record<string, unknown>) => void,
): Promise<void> {
  const file = path.join(dir, 'config.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(config);
  await writeFile(file, JSON.stringify(config, null, 2));
}

/** The emotion_stream block of a parsed config (the fixture always has one). */
export function emotionStreamBlock(config: Record<string, unknown>): Record<string, unknown> {
  return config.emotion_stream as Record<string, unknown>;
}
