import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// The image is built by scripts/build-image (buildah), too slow for every test run. This check catches
// the usual breakage cheaply: a file the build needs that the Dockerfile does not copy, or that
// .dockerignore drops from the build context.
const root = path.resolve(__dirname, '../../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

interface Stage {
  name: string;
  /** Sources of COPY instructions that read the build context (not --from another stage). */
  contextCopies: string[];
  runs: string[];
}

function stages(): Stage[] {
  const lines = read('Dockerfile').replace(/\\\n/g, ' ').split('\n');
  const result: Stage[] = [];
  for (const line of lines.map((l) => l.trim())) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) result.push({ name: from[1] ?? `stage${result.length}`, contextCopies: [], runs: [] });
    const stage = result.at(-1);
    if (!stage) continue;
    if (/^RUN\s/i.test(line)) stage.runs.push(line.slice(4).trim());
    if (/^COPY\s/i.test(line)) {
      const words = line.slice(5).trim().split(/\s+/);
      if (words.some((word) => word.startsWith('--from'))) continue;
      stage.contextCopies.push(...words.filter((word) => !word.startsWith('--')).slice(0, -1));
    }
  }
  return result;
}

const dockerignore = read('.dockerignore')
  .split('\n')
  .map((line) => line.trim().replace(/^\/|\/$/g, ''))
  .filter((line) => line !== '' && !line.startsWith('#'));

const inside = (file: string, folder: string): boolean =>
  path.normalize(file) === path.normalize(folder) ||
  path.normalize(file).startsWith(`${path.normalize(folder)}/`);

/** What `npm run build` reads: files its command line names, the tsconfig chain and what it includes. */
function buildInputs(): string[] {
  const buildScript = (JSON.parse(read('package.json')) as { scripts: { build: string } }).scripts.build;
  const named = buildScript
    .split(/\s+/)
    .filter(
      (word) =>
        !word.startsWith('dist/') &&
        existsSync(path.join(root, word)) &&
        statSync(path.join(root, word)).isFile(),
    );
  const inputs = new Set(['package.json', 'package-lock.json', '.npmrc', ...named]);
  for (const file of named.filter((word) => word.endsWith('.json'))) {
    const config = JSON.parse(read(file)) as { extends?: string; include?: string[] };
    if (config.extends) inputs.add(path.normalize(config.extends));
    for (const included of config.include ?? []) inputs.add(included);
  }
  return [...inputs];
}

describe('Dockerfile build context', () => {
  const all = stages();
  const build = all.find((stage) => stage.runs.some((run) => run.includes('npm run build')));

  it('has a stage that runs npm run build', () => {
    expect(build).toBeDefined();
  });

  it('the build stage copies every file npm run build reads', () => {
    const inputs = buildInputs();
    expect(inputs).toEqual(expect.arrayContaining(['tsconfig.json', 'src', 'scripts/build-dashboard.mjs']));
    const notCopied = inputs.filter((input) => !build!.contextCopies.some((source) => inside(input, source)));
    expect(notCopied).toEqual([]);
  });

  it('every path copied from the context exists and is not dropped by .dockerignore', () => {
    const sources = all.flatMap((stage) => stage.contextCopies);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => !existsSync(path.join(root, source)))).toEqual([]);
    expect(sources.filter((source) => dockerignore.some((ignored) => inside(source, ignored)))).toEqual([]);
  });
});
