import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { kafkaBrokers, redisUrl, uniqueName } from '../../support/services';

// The real CLI process, started as a supervisor starts it: a start that cannot succeed must end with
// exit code 1 and one line on stderr saying what failed and what to check, within the 10 s
// (a process that hangs instead is killed at that deadline and the test fails saying so).
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const TINY_MODEL_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'tiny-distilbert');
const EXIT_DEADLINE_MS = 10_000;

jest.setTimeout(120_000);

interface Outcome {
  code: number | null;
  /** Killed at the deadline: it did not exit by itself. */
  hung: boolean;
  stderrLines: string[];
  stdout: string;
}

function run(command: string, env: Record<string, string>): Promise<Outcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', command], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let hung = false;
  const killer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, EXIT_DEADLINE_MS);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, hung, stdout, stderrLines: stderr.split('\n').filter((line) => line.trim() !== '') });
    }),
  );
}

function expectOneClearLine(outcome: Outcome, line: RegExp): void {
  expect({ code: outcome.code, hung: outcome.hung, stderr: outcome.stderrLines }).toEqual({
    code: 1,
    hung: false,
    stderr: [expect.stringMatching(line)],
  });
}

let taken: Server;
let takenPort: number;

beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  takenPort = (taken.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => taken.close(() => resolve()));
});

const workerEnv = () => ({
  KAFKA_BROKERS: kafkaBrokers().join(','),
  REDIS_URL: redisUrl(),
  MODEL_DIR: TINY_MODEL_DIR,
  INPUT_TOPIC: uniqueName('fail-fast-in'),
  OUTPUT_TOPIC: uniqueName('fail-fast-out'),
  HTTP_PORT: '0',
});

describe('a worker that cannot start exits 1 with one clear line', () => {
  test('HTTP_PORT already taken', async () => {
    const outcome = await run('worker', { ...workerEnv(), HTTP_PORT: String(takenPort) });
    expectOneClearLine(
      outcome,
      new RegExp(
        `^emotion-stream: HTTP_PORT/HTTP_HOST: cannot listen on 127\\.0\\.0\\.1:${takenPort}: .*in use.*EADDRINUSE`,
      ),
    );
  });

  test('Kafka unreachable', async () => {
    const outcome = await run('worker', { ...workerEnv(), KAFKA_BROKERS: '127.0.0.1:1' });
    expectOneClearLine(
      outcome,
      /^emotion-stream: Kafka at 127\.0\.0\.1:1 is unreachable: .*check KAFKA_BROKERS/,
    );
  });

  test('Redis unreachable: the URL is shown without its password', async () => {
    const outcome = await run('worker', { ...workerEnv(), REDIS_URL: 'redis://:s3cr3t-pw@127.0.0.1:1' });
    expectOneClearLine(
      outcome,
      /^emotion-stream: Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1 is unreachable: .*check REDIS_URL/,
    );
    expect(outcome.stdout + outcome.stderrLines.join('\n')).not.toContain('s3cr3t-pw');
  });

  test('model folder missing', async () => {
    const outcome = await run('worker', { ...workerEnv(), MODEL_DIR: '/nonexistent/model' });
    expectOneClearLine(outcome, /^emotion-stream: model directory \/nonexistent\/model does not exist/);
  });

  test('bad settings: every one named, no secret echoed', async () => {
    const outcome = await run('worker', {
      ...workerEnv(),
      HTTP_PORT: 'eighty',
      REDIS_URL: 'redis://:s3cr#t@',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'hunter2-secret',
    });
    expect({ code: outcome.code, hung: outcome.hung }).toEqual({ code: 1, hung: false });
    const text = outcome.stderrLines.join('\n');
    expect(text).toMatch(/^emotion-stream: invalid worker settings:/);
    expect(text).toMatch(/HTTP_PORT: expected a whole number/);
    expect(text).toMatch(/REDIS_URL: expected a URL/);
    expect(text).not.toMatch(/s3cr|hunter2/);
  });
});

describe('alerts and dashboard exit 1 with one clear line: port taken, Kafka unreachable, bad settings', () => {
  const streamEnv = () => ({
    KAFKA_BROKERS: kafkaBrokers().join(','),
    OUTPUT_TOPIC: uniqueName('fail-fast-out'),
  });

  test('alerts: ALERTS_HTTP_PORT taken', async () => {
    const outcome = await run('alerts', { ...streamEnv(), ALERTS_HTTP_PORT: String(takenPort) });
    expectOneClearLine(
      outcome,
      /^emotion-stream: ALERTS_HTTP_PORT\/ALERTS_HTTP_HOST: cannot listen on .*EADDRINUSE/,
    );
  });

  test('alerts: Kafka unreachable', async () => {
    const outcome = await run('alerts', {
      ...streamEnv(),
      ALERTS_HTTP_PORT: '0',
      KAFKA_BROKERS: '127.0.0.1:1',
    });
    expectOneClearLine(outcome, /^emotion-stream: Kafka at 127\.0\.0\.1:1 is unreachable/);
  });

  test('dashboard: DASHBOARD_PORT taken', async () => {
    const outcome = await run('dashboard', { ...streamEnv(), DASHBOARD_PORT: String(takenPort) });
    expectOneClearLine(
      outcome,
      /^emotion-stream: DASHBOARD_PORT\/DASHBOARD_HOST: cannot listen on .*EADDRINUSE/,
    );
  });

  test('dashboard: Kafka unreachable', async () => {
    const outcome = await run('dashboard', {
      ...streamEnv(),
      DASHBOARD_PORT: '0',
      KAFKA_BROKERS: '127.0.0.1:1',
    });
    expectOneClearLine(outcome, /^emotion-stream: Kafka at 127\.0\.0\.1:1 is unreachable/);
  });

  test('alerts: a bad setting', async () => {
    const outcome = await run('alerts', { ...streamEnv(), ALERT_MIN_RATIO: 'lots' });
    expectOneClearLine(outcome, /^emotion-stream: ALERT_MIN_RATIO: expected a number, got "lots"$/);
  });

  test('dashboard: a bad setting', async () => {
    const outcome = await run('dashboard', { ...streamEnv(), DASHBOARD_MAX_CLIENTS: '0' });
    expectOneClearLine(
      outcome,
      /^emotion-stream: DASHBOARD_MAX_CLIENTS: expected a whole number >= 1, got "0"$/,
    );
  });
});

test('--help shows no secret, whatever the environment holds', async () => {
  const secrets = {
    KAFKA_SASL_PASSWORD: 'help-secret-1',
    SCHEMA_REGISTRY_URL: 'https://user:help-secret-2@registry.example',
    SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'user:help-secret-3',
    REDIS_URL: 'redis://:help-secret-4@redis:6379',
    DASHBOARD_TOKEN: 'help-secret-5',
  };
  for (const command of ['worker', 'alerts', 'dashboard']) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', command, '--help'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, ...secrets },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ command, code, usage: /Usage: emotion-stream/.test(text) }).toEqual({
      command,
      code: 0,
      usage: true,
    });
    expect({ command, leaked: text.match(/help-secret-\d/g) ?? [] }).toEqual({ command, leaked: [] });
  }
});
