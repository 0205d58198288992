import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// scripts/setup runs `npm ci` only when this check says node_modules does not match the lockfile.
const script = path.resolve(__dirname, '../../../scripts/lib/setup/node-modules-state.mjs');

interface Entry {
  version: string;
  optional?: boolean;
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'node-modules-state-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const lock = (packages: Record<string, Entry>) => ({
  name: 'x',
  lockfileVersion: 3,
  packages: { '': { name: 'x' }, ...packages },
});

function project(
  locked: Record<string, Entry>,
  installed?: Record<string, Entry>,
  folders = Object.keys(installed ?? {}),
) {
  writeFileSync(path.join(root, 'package-lock.json'), JSON.stringify(lock(locked)));
  if (!installed) return;
  mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  writeFileSync(path.join(root, 'node_modules', '.package-lock.json'), JSON.stringify(lock(installed)));
  for (const folder of folders) {
    mkdirSync(path.join(root, folder), { recursive: true });
    writeFileSync(path.join(root, folder, 'package.json'), '{}');
  }
}

function check(): { status: number | null; reason: string } {
  const run = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  return { status: run.status, reason: run.stdout.trim() };
}

const a = { 'node_modules/a': { version: '1.0.0' } };

describe('node-modules-state.mjs', () => {
  it('is up to date when every locked package is installed at its version', () => {
    project({ ...a, 'node_modules/@x/other-os': { version: '1.0.0', optional: true } }, a);
    expect(check()).toEqual({ status: 0, reason: '' });
  });

  it('is stale without node_modules', () => {
    project(a);
    expect(check()).toEqual({ status: 1, reason: 'node_modules is missing' });
  });

  it('is stale when a locked package is missing or at another version', () => {
    project({ ...a, 'node_modules/b': { version: '2.0.0' } }, a);
    expect(check()).toEqual({ status: 1, reason: 'b is not installed' });
    project({ 'node_modules/a': { version: '1.1.0' } }, a);
    expect(check()).toEqual({ status: 1, reason: 'a is 1.0.0, the lockfile wants 1.1.0' });
  });

  it('is stale when a package folder was deleted or an extra package is installed', () => {
    project(a, a, []);
    expect(check()).toEqual({ status: 1, reason: 'a is listed as installed but its folder is gone' });
    project(a, { ...a, 'node_modules/extra': { version: '1.0.0' } });
    expect(check()).toEqual({ status: 1, reason: 'extra is installed but not in the lockfile' });
  });
});
