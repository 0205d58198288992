import { spawnSync } from 'node:child_process';
import path from 'node:path';

// Stops the services only when this jest run started them (see global-setup.ts).
export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __emotionStreamStartedServices?: string[] }).__emotionStreamStartedServices ?? [];
  if (started.length === 0) return;
  const root = path.resolve(__dirname, '..', '..');
  spawnSync(path.join(root, 'scripts', 'services'), ['down', ...started], { cwd: root, stdio: 'inherit' });
}
