import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { kafkaBrokers, redisUrl } from '../../support/services';

// Keeps `npm run bench:e2e` from rotting: a tiny run (200 tweets, tiny model, 2 s paced phase)
// through the real broker. Asserts the shape of its last stdout line and that every tweet came out
// exactly once — never its speed (the machine is shared; BENCHMARKS.md has the figures).

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..', '..');

jest.setTimeout(240_000);

test('bench:e2e prints the JSON line last and every tweet comes out once', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-e2e-'));
  const jsonOut = path.join(dir, 'result.json');
  try {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/e2e/main.ts',
        '--events',
        '200',
        '--paced-seconds',
        '2',
        '--rate',
        '50',
        '--model',
        'test/fixtures/tiny-distilbert',
        '--json-out',
        jsonOut,
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          KAFKA_BROKERS: kafkaBrokers().join(','),
          REDIS_URL: redisUrl(),
          LOG_LEVEL: 'warn',
        },
        maxBuffer: 16 * 2 ** 20,
      },
    );
    const lines = stdout.trimEnd().split('\n');
    const last = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
    expect(Object.keys(last)).toEqual([
      'e2e_tweets_per_s',
      'bare_tweets_per_s',
      'ratio',
      'p50_ms',
      'p95_ms',
      'p99_ms',
    ]);
    for (const value of Object.values(last)) {
      expect(typeof value).toBe('number');
      expect(value as number).toBeGreaterThan(0);
    }

    const { results } = JSON.parse(readFileSync(jsonOut, 'utf8')) as {
      results: Array<{
        events: number;
        duplicates: number;
        unknownOutputs: number;
        paced?: { sent: number; received: number };
      }>;
    };
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result.events).toBe(200);
    expect(result.duplicates).toBe(0);
    expect(result.unknownOutputs).toBe(0);
    // 2 s at 50 tweets/s.
    expect(result.paced?.sent).toBe(100);
    expect(result.paced?.received).toBe(100);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
