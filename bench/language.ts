// Language detectors compared on tweet-like texts (issue 19): accuracy on English, on non-English, on very
// short texts; tweets/s on one core; package size; load time; whether CommonJS can require() it.
// Run: npm run bench:language   (installs the candidates into bench/language-candidates/ first)
// Record the printed table in BENCHMARKS.md with machine and date.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CANDIDATE_MODULES,
  CANDIDATES,
  CANDIDATES_DIR,
  type Candidate,
  type Detect,
} from './language/candidates';
import { loadMultilingualCorpus, loadValidationEnglish, type LabelledText } from './language/corpus';
import { installedPackageBytes } from './language/package-size';
import { printPolicyTable, ruleThroughput } from './language/policy';

const VALIDATION_TEXTS = Number(process.env.BENCH_VALIDATION_TEXTS ?? 600);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

interface Row {
  name: string;
  englishAccuracy: number;
  notCalledEnglish: number;
  nonEnglishAccuracy: number;
  shortAccuracy: number;
  shortEnglishAccuracy: number;
  tweetsPerSecond: number;
  megabytes: number;
  loadMs: number;
  commonJs: string;
}

const share = (items: LabelledText[], hit: (item: LabelledText) => boolean) =>
  items.length === 0 ? NaN : items.filter(hit).length / items.length;

/** `require()` in a fresh plain-node process, as our CommonJS build (and jest) would load the package. */
function requireCheck(candidate: Candidate): string {
  const child = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(candidate.specifier)})`], {
    cwd: CANDIDATES_DIR,
    encoding: 'utf8',
  });
  const manifest = JSON.parse(
    readFileSync(path.join(CANDIDATE_MODULES, candidate.packageName, 'package.json'), 'utf8'),
  ) as { type?: string };
  // An ES module loads through require() only on Node >= 20.19 (require(esm)), and never inside jest.
  if (child.status === 0)
    return manifest.type === 'module' ? 'ESM only: Node ≥ 20.19 require(esm), not jest' : 'yes';
  return `no (${/\b(ERR_[A-Z_]+)\b/.exec(child.stderr)?.[1] ?? 'fails'})`;
}

function throughput(detect: Detect, texts: string[]): number {
  let done = 0;
  const started = process.hrtime.bigint();
  const budget = BigInt(Math.round(SECONDS * 1e9));
  while (process.hrtime.bigint() - started < budget) {
    for (const text of texts) detect(text);
    done += texts.length;
  }
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function measure(candidate: Candidate, corpus: LabelledText[]): Promise<Row> {
  const loadStarted = process.hrtime.bigint();
  const detect = await candidate.load();
  detect('warm up the first call too');
  const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;
  const answers = new Map(corpus.map((item) => [item, detect(item.text).language]));
  const english = corpus.filter((item) => item.lang === 'en');
  const foreign = corpus.filter((item) => item.lang !== 'en');
  const short = corpus.filter((item) => item.short);
  const correct = (item: LabelledText) => answers.get(item) === item.lang;
  return {
    name: candidate.name,
    englishAccuracy: share(english, correct),
    notCalledEnglish: share(foreign, (item) => answers.get(item) !== 'en'),
    nonEnglishAccuracy: share(foreign, correct),
    shortAccuracy: share(short, correct),
    shortEnglishAccuracy: share(
      short.filter((item) => item.lang === 'en'),
      correct,
    ),
    tweetsPerSecond: throughput(
      detect,
      corpus.map((item) => item.text),
    ),
    megabytes: installedPackageBytes(CANDIDATE_MODULES, candidate.packageName) / 1e6,
    loadMs,
    commonJs: requireCheck(candidate),
  };
}

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

function printTable(rows: Row[]): void {
  const header =
    '| detector | English → en | non-English not called en | non-English exact | short exact | short English → en | tweets/s (1 core) | size MB | load ms | CommonJS require |';
  process.stdout.write(`${header}\n|${'---|'.repeat(10)}\n`);
  for (const row of rows) {
    const cells = [
      row.name,
      percent(row.englishAccuracy),
      percent(row.notCalledEnglish),
      percent(row.nonEnglishAccuracy),
      percent(row.shortAccuracy),
      percent(row.shortEnglishAccuracy),
      Math.round(row.tweetsPerSecond).toLocaleString('en-US'),
      row.megabytes.toFixed(1),
      row.loadMs.toFixed(0),
      row.commonJs,
    ];
    process.stdout.write(`| ${cells.join(' | ')} |\n`);
  }
}

async function main(): Promise<void> {
  const multilingual = loadMultilingualCorpus();
  const corpus = [...multilingual, ...loadValidationEnglish(VALIDATION_TEXTS)];
  const languages = new Set(corpus.map((item) => item.lang));
  const english = corpus.filter((item) => item.lang === 'en');
  process.stdout.write(
    `corpus: ${corpus.length} texts in ${languages.size} languages — ${english.length} English ` +
      `(${english.length - VALIDATION_TEXTS} hand-written + ${VALIDATION_TEXTS} validation split), ` +
      `${corpus.length - english.length} non-English, ${corpus.filter((item) => item.short).length} short (1–4 words)\n` +
      `throughput: each detector runs over the whole corpus for ~${SECONDS} s on this one thread\n\n`,
  );
  const rows: Row[] = [];
  for (const candidate of CANDIDATES) {
    try {
      rows.push(await measure(candidate, corpus));
    } catch (error) {
      process.stdout.write(`${candidate.name}: could not be measured: ${(error as Error).message}\n`);
    }
  }
  printTable(rows);
  printPolicyTable(corpus);
  const perSecond = ruleThroughput(corpus, SECONDS);
  process.stdout.write(
    `\ndecideLanguage (text clean-up + tinyld + rule), no producer lang: ${Math.round(perSecond).toLocaleString('en-US')} tweets/s on one core\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:language failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
