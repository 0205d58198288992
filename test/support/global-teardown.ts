import { spawnSync } from 'node:child_process';
import path from 'node:path';

// Stops the services only when this jest run started them (see global-setup.ts).
export default async function globalTeardown(): Promise<void> {
  if (!(globalThis as { __emotionStreamStartedServices?: boolean }).__emotionStreamStartedServices) return;
  const root = path.resolve(__dirname, '..', '..');
  spawnSync(path.join(root, 'scripts', 'services'), ['down'], { cwd: root, stdio: 'inherit' });
}
