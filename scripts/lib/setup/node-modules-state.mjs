#!/usr/bin/env node
// Says whether node_modules matches package-lock.json, with node's builtins only (it runs before
// `npm ci`). npm records what it installed in node_modules/.package-lock.json; every locked package
// must be there at the locked version, with its folder present, and nothing else may be.
// Exit 0: up to date. Exit 1: stale, one line on stdout saying why.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.argv[2] ?? process.cwd();
const stale = (reason) => {
  process.stdout.write(`${reason}\n`);
  process.exit(1);
};
const readPackages = (file) => JSON.parse(readFileSync(file, 'utf8')).packages ?? {};

if (!existsSync(path.join(root, 'node_modules'))) stale('node_modules is missing');
const installedFile = path.join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installedFile)) stale('node_modules has no .package-lock.json (not installed by npm ci)');

const locked = readPackages(path.join(root, 'package-lock.json'));
const installed = readPackages(installedFile);
for (const [where, entry] of Object.entries(locked)) {
  if (!where.startsWith('node_modules/')) continue;
  const have = installed[where];
  // Optional packages for other platforms (e.g. @esbuild/darwin-arm64) are never installed here.
  if (!have) {
    if (entry.optional) continue;
    stale(`${where.slice('node_modules/'.length)} is not installed`);
  }
  if (have.version !== entry.version) {
    stale(`${where.slice('node_modules/'.length)} is ${have.version}, the lockfile wants ${entry.version}`);
  }
  if (!have.link && !existsSync(path.join(root, where, 'package.json'))) {
    stale(`${where.slice('node_modules/'.length)} is listed as installed but its folder is gone`);
  }
}
for (const where of Object.keys(installed)) {
  if (where.startsWith('node_modules/') && !locked[where]) {
    stale(`${where.slice('node_modules/'.length)} is installed but not in the lockfile`);
  }
}
