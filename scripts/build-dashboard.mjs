#!/usr/bin/env node
// Bundles the dashboard page (src/dashboard/client) into dist/dashboard/public: app.js (uPlot
// included), app.css, index.html. Runs as part of `npm run build`; tests call it before serving.
import { build } from 'esbuild';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const client = path.join(root, 'src', 'dashboard', 'client');
const out = path.join(root, 'dist', 'dashboard', 'public');

await mkdir(out, { recursive: true });
await build({
  entryPoints: { app: path.join(client, 'app.ts'), 'app-styles': path.join(client, 'styles.css') },
  bundle: true,
  minify: true,
  sourcemap: false,
  target: ['chrome110', 'firefox110', 'safari16'],
  outdir: out,
  logLevel: 'warning',
});
// esbuild names the CSS entry after its key; the page links app.css.
await rename(path.join(out, 'app-styles.css'), path.join(out, 'app.css'));
await copyFile(path.join(client, 'index.html'), path.join(out, 'index.html'));
