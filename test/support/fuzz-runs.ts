/**
 * Runs per property of the hostile-input suite: a CI size by default, more on demand
 * (`HOSTILE_FUZZ_RUNS=20000 npx jest test/unit -t hostile`). fast-check prints the seed and the
 * shrunk counterexample of a failure; `HOSTILE_FUZZ_SEED` replays it.
 */
export function fuzzOptions(defaultRuns: number): { numRuns: number; seed?: number } {
  const runs = Number(process.env.HOSTILE_FUZZ_RUNS ?? defaultRuns);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`HOSTILE_FUZZ_RUNS must be a positive integer`);
  const seed = process.env.HOSTILE_FUZZ_SEED;
  return seed === undefined ? { numRuns: runs } : { numRuns: runs, seed: Number(seed) };
}
