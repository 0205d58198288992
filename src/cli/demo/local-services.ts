import { spawnSync } from 'node:child_process';
import { fromPackageRoot } from '../../config/package-root';
import { ConfigError } from '../../core';

const SERVICES = fromPackageRoot('scripts', 'services');

const SERVICE_NAMES = ['redis', 'kafka', 'registry'] as const;

export interface LocalServices {
  env: Record<string, string>;
  /** The services this run started (and so stops at the end); ones already running are left alone. */
  startedHere: string[];
  stop(): void;
}

function run(args: string[], inherit: boolean) {
  return spawnSync(SERVICES, args, {
    encoding: 'utf8',
    stdio: inherit ? ['ignore', 'inherit', 'inherit'] : 'pipe',
  });
}

/**
 * Makes sure Kafka, Redis and the schema registry answer, starting them with scripts/services (the same
 * script the tests and CI use) when they do not; configured KAFKA_BROKERS / REDIS_URL are used as they are.
 */
export function ensureLocalServices(log: (line: string) => void): LocalServices {
  const startedHere = SERVICE_NAMES.filter((name) => {
    const status = run(['status', name], false);
    if (status.error) throw new ConfigError(`cannot run ${SERVICES}: ${status.error.message}`);
    return status.status !== 0;
  });
  if (startedHere.length > 0) {
    log(`starting local services (${startedHere.join(', ')}) with scripts/services up ...`);
    const up = run(['up', ...startedHere], true);
    if (up.status !== 0) throw new ConfigError('scripts/services up failed (see above)');
  }
  const printed = run(['env'], false);
  if (printed.status !== 0) throw new ConfigError(`scripts/services env failed: ${printed.stderr}`);
  const env: Record<string, string> = {};
  for (const line of printed.stdout.split('\n')) {
    const match = /^(?:export\s+)?([A-Z_]+)=['"]?([^'"]*)['"]?$/.exec(line.trim());
    if (match) env[match[1]] = process.env[match[1]] ?? match[2];
  }
  return {
    env,
    startedHere,
    stop: () => {
      if (startedHere.length > 0) run(['down', ...startedHere], true);
    },
  };
}
