// Size on disk of an installed npm package with its dependencies (what a deployment would carry).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** Bytes of `name` and every package it depends on, transitively, as installed in `modulesDir`. */
export function installedPackageBytes(modulesDir: string, name: string, seen = new Set<string>()): number {
  if (seen.has(name)) return 0;
  seen.add(name);
  const dir = path.join(modulesDir, name);
  if (!existsSync(dir)) return 0;
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  let total = directoryBytes(dir);
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    total += installedPackageBytes(modulesDir, dependency, seen);
  }
  return total;
}
