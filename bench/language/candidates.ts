// The language detectors bench/language.ts compares, each behind one small adapter. They are installed in
// bench/language-candidates/ (its own package.json and lockfile), not as dependencies of the worker.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CANDIDATES_DIR = path.resolve(__dirname, '..', 'language-candidates');
export const CANDIDATE_MODULES = path.join(CANDIDATES_DIR, 'node_modules');

/** One detection: the top language as an ISO 639-1 code ('' when the library gives up). */
export interface Detection {
  language: string;
  confidence?: number;
  reliable?: boolean;
}

export type Detect = (text: string) => Detection;

export interface Candidate {
  /** Row label. */
  name: string;
  /** npm package (for its size on disk and its version). */
  packageName: string;
  /** What an application would `require()` (checked from a CommonJS process). */
  specifier: string;
  /** Loads the library the way it is meant to be loaded and returns its detect function. */
  load(): Promise<Detect>;
}

// ESM-only packages: a real dynamic import (tsx would otherwise compile import() to require()).
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;
const importFile = (relative: string) =>
  importEsm(pathToFileURL(path.join(CANDIDATE_MODULES, relative)).href);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFile = (relative: string): unknown => require(path.join(CANDIDATE_MODULES, relative));

// franc answers in ISO 639-3; the codes of the corpus languages, mapped back.
const ISO3_TO_1: Record<string, string> = {
  eng: 'en',
  spa: 'es',
  por: 'pt',
  fra: 'fr',
  deu: 'de',
  ita: 'it',
  tur: 'tr',
  ind: 'id',
  nld: 'nl',
  pol: 'pl',
  jpn: 'ja',
  cmn: 'zh',
  kor: 'ko',
  arb: 'ar',
  rus: 'ru',
  hin: 'hi',
  tha: 'th',
};

interface TinyLd {
  detectAll(text: string): Array<{ lang: string; accuracy: number }>;
}
interface EldResult {
  language: string;
  getScores(): Record<string, number>;
  isReliable(): boolean;
}
interface Franc {
  francAll(text: string, options: { minLength: number }): Array<[string, number]>;
}
interface CldIdentifier {
  findLanguage(text: string): { language: string; probability: number; is_reliable: boolean };
}

function tinyldAdapter(variant: string, specifier: string): Candidate {
  return {
    name: `tinyld 1.3.4 (${variant})`,
    packageName: 'tinyld',
    specifier,
    async load() {
      const tinyld = requireFile(`tinyld/dist/tinyld.${variant}.node.js`) as TinyLd;
      return (text) => {
        const [top] = tinyld.detectAll(text);
        return { language: top?.lang ?? '', confidence: top?.accuracy };
      };
    },
  };
}

function francAdapter(name: string, packageName: string): Candidate {
  return {
    name,
    packageName,
    specifier: packageName,
    async load() {
      const franc = (await importFile(`${packageName}/index.js`)) as Franc;
      return (text) => {
        const [top] = franc.francAll(text, { minLength: 1 });
        const code = top?.[0] ?? 'und';
        return { language: code === 'und' ? '' : (ISO3_TO_1[code] ?? code), confidence: top?.[1] };
      };
    },
  };
}

export const CANDIDATES: readonly Candidate[] = [
  tinyldAdapter('normal', 'tinyld'),
  tinyldAdapter('light', 'tinyld/light'),
  tinyldAdapter('heavy', 'tinyld/heavy'),
  {
    name: 'eld 2.1.0 (medium)',
    packageName: 'eld',
    specifier: 'eld/medium',
    async load() {
      const { eld } = (await importFile('eld/src/entries/static.medium.js')) as {
        eld: { detect(text: string): EldResult };
      };
      return (text) => {
        const result = eld.detect(text);
        const scores = result.getScores();
        return {
          language: result.language,
          confidence: scores[result.language],
          reliable: result.isReliable(),
        };
      };
    },
  },
  francAdapter('franc 6.2.0', 'franc'),
  francAdapter('franc-min 6.2.0', 'franc-min'),
  {
    name: 'cld3-asm 4.0.0 (CLD3, wasm)',
    packageName: 'cld3-asm',
    specifier: 'cld3-asm',
    async load() {
      const { loadModule } = requireFile('cld3-asm/dist/cjs/index.js') as {
        loadModule(): Promise<{ create(minBytes: number, maxBytes: number): CldIdentifier }>;
      };
      const identifier = (await loadModule()).create(0, 1000);
      return (text) => {
        const result = identifier.findLanguage(text);
        const language = result.language === 'und' ? '' : (result.language.split('-')[0] ?? '');
        return { language, confidence: result.probability, reliable: result.is_reliable };
      };
    },
  },
];
