import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// The README's "Folder layout" block must match the tree: every folder of src/ (and the top-level
// folders it names) listed once, nothing listed that does not exist.
const root = path.resolve(__dirname, '..', '..', '..');

function layoutBlock(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Folder layout'));
  const block = /```\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md has no code block under "## Folder layout"');
  return block[1].split('\n').filter((line) => line.trim() !== '');
}

function folders(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort();
}

describe('README folder layout', () => {
  const lines = layoutBlock();
  const srcStart = lines.indexOf('src/');
  const srcEntries = lines
    .slice(srcStart + 1)
    .filter((line) => line.startsWith('  '))
    .map((line) => line.trim().split(/\s+/)[0].replace(/\/$/, ''));
  const topEntries = lines
    .filter((line) => /^\S/.test(line))
    .map((line) => line.split(/\s+/)[0].replace(/\/$/, ''));

  it('lists every folder of src/ once, in a block that starts with src/', () => {
    expect(srcStart).toBeGreaterThanOrEqual(0);
    expect([...srcEntries].sort()).toEqual(folders(path.join(root, 'src')));
  });

  it('names only top-level folders that exist, each with a description', () => {
    for (const entry of topEntries) expect(folders(root)).toContain(entry);
    for (const line of lines.filter((l) => l !== 'src/')) expect(line.trim().split(/\s{2,}/)).toHaveLength(2);
  });
});
