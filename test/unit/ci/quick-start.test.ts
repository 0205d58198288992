import { readFileSync } from 'node:fs';
import path from 'node:path';

// CI must run what a newcomer runs: the README's Quick start commands, in its order, and nothing that
// prepares the machine behind the newcomer's back (the two commands have to do that themselves).
const root = path.resolve(__dirname, '../../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const ciRun = readFileSync(path.join(root, '.ci/run'), 'utf8');

/** The commands of the first bash block under "## Quick start", without comments. */
function readmeQuickStart(): string[] {
  const section = /^## Quick start\n([\s\S]*?)^## /m.exec(readme);
  if (!section) throw new Error('README.md has no "## Quick start" section');
  const block = /```bash\n([\s\S]*?)```/.exec(section[1]);
  if (!block) throw new Error('the Quick start section has no ```bash block');
  return commandLines(block[1]);
}

/** The commands between "# quick start begin" and "# quick start end" in .ci/run. */
function ciQuickStart(): string[] {
  const block = /^# quick start begin.*\n([\s\S]*?)^# quick start end/m.exec(ciRun);
  if (!block) throw new Error('.ci/run has no "# quick start begin" … "# quick start end" block');
  return commandLines(block[1]);
}

function commandLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

// The only difference allowed: CI passes --once so the demo exits after its summary (the README says so).
const withoutOnce = (command: string): string => command.replace(/^(npm run demo) -- --once$/, '$1');

describe("the README's Quick start and .ci/run", () => {
  it('the README Quick start is the two commands, with no setup step before them', () => {
    expect(readmeQuickStart()).toEqual(['npm run demo', 'npm test']);
    const section = /^## Quick start\n([\s\S]*?)```/m.exec(readme)?.[1] ?? '';
    expect(section).not.toMatch(/npm ci|npm install|install-system-deps|scripts\/services/);
  });

  it('CI runs the same commands in the same order', () => {
    expect(ciQuickStart().map(withoutOnce)).toEqual(readmeQuickStart());
  });

  it('CI prepares nothing itself and reads nothing beside the clone', () => {
    const commands = commandLines(ciRun);
    const preparing = commands.filter((line) =>
      /\bnpm (ci|install|i)\b|install-system-deps|scripts\/services|apt-get|\.\.\/shared/.test(line),
    );
    expect(preparing).toEqual([]);
  });

  it('the README promises in words what .ci/run does for the demo', () => {
    expect(readme).toContain(
      '`npm run demo -- --once` exits by itself after the summary (that is how CI runs',
    );
  });
});
