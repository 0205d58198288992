import { spawnSync } from 'node:child_process';
import { fromPackageRoot } from '../../config/package-root';
import { ConfigError } from '../../core';

const SERVICES = fromPackageRoot('scripts', 'services');

export interface LocalServices {
  env: Record<string, string>;
  /** True when this run started them (and so stops them at the end). */
  startedHere: boolean;
  stop(): void;
}

function run(args: string[], inherit: boolean) {
  return spawnSync(SERVICES, args, { encoding: 'utf8', stdio: inherit ? ['ignore', 'inherit', 'inherit'] : 'pipe' });
}

/**
 * Makes sure Kafka, Redis and the schema registry answer, starting them with scripts/services (the same
 * script the tests and CI use) when they do not; configured KAFKA_BROKERS / REDIS_URL are used as they are.
 */
export function ensureLocalServices(log: (line: string) => void): LocalServices {
  const status = run(['status'], false);
  if (status.error) throw new ConfigError(`cannot run ${SERVICES}: ${status.error.message}`);
  let startedHere = false;
  if (status.status !== 0) {
    log('starting local services (Kafka, Redis, schema registry) with scripts/services up ...');
    const up = run(['up'], true);
    if (up.status !== 0) throw new ConfigError('scripts/services up failed (see above)');
    startedHere = true;
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
      if (startedHere) run(['down'], true);
    },
  };
}
