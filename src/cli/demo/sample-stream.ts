import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Turns the bundled sample (one text per line) into JSONL tweets with event times spread over a quarter
 * of an hour, so the spike detector sees a baseline before the sample's anger burst: lines before the
 * burst are `spacingMs` apart, burst lines (the run of consecutive angry lines) `burstSpacingMs` apart.
 */
export interface SampleStreamOptions {
  sampleFile: string;
  outFile: string;
  runId: string;
  startMs: number;
  spacingMs?: number;
  burstSpacingMs?: number;
  /** Lines that belong to the burst, found by a keyword list (the sample marks nothing else). */
  isBurstLine?: (text: string) => boolean;
}

const ANGER_WORDS =
  /\b(furious|angry|outraged|irritated|mad|enraged|annoyed|bitter|resentful|livid|hostile|insulted|irritable|cranky)\b/;

export function writeSampleStream(options: SampleStreamOptions): number {
  const spacingMs = options.spacingMs ?? 6_000;
  const burstSpacingMs = options.burstSpacingMs ?? 1_000;
  const isBurst = options.isBurstLine ?? ((text: string) => ANGER_WORDS.test(text));
  const lines = readFileSync(options.sampleFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  let eventTime = options.startMs;
  const out = lines.map((text, index) => {
    eventTime += isBurst(text) ? burstSpacingMs : spacingMs;
    return JSON.stringify({ id: `${options.runId}-${index + 1}`, text, created_at: eventTime, lang: 'en' });
  });
  writeFileSync(options.outFile, `${out.join('\n')}\n`);
  return lines.length;
}
