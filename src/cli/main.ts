#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { fromPackageRoot } from '../config/package-root';
import { register as registerAlerts } from './alerts';
import { register as registerDashboard } from './dashboard';
import { register as registerClassify } from './classify';
import { register as registerDemo } from './demo';
import { register as registerDlq } from './dlq';
import { register as registerEval } from './eval';
import { exitFatally, exitOnUncaughtErrors } from './fatal-exit';
import { register as registerProduce } from './produce';
import { register as registerTokenize } from './tokenize';
import { register as registerWorker } from './worker';

// Each subcommand lives in its own file under src/cli/ and exports `register(program)`.
const subcommands: Array<(program: Command) => void> = [
  registerDemo,
  registerAlerts,
  registerDashboard,
  registerDlq,
  registerWorker,
  registerProduce,
  registerClassify,
  registerTokenize,
  registerEval,
];

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(fromPackageRoot('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('emotion-stream')
    .description(
      'Label a social-media firehose with emotions in real time: Kafka + Avro in, batched ONNX inference, enriched events out.',
    )
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)');
  for (const register of subcommands) register(program);
  return program;
}

async function main(): Promise<void> {
  exitOnUncaughtErrors();
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    exitFatally(error);
  }
}

if (require.main === module) void main();
