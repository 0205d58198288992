import { Command } from 'commander';
import { register } from '../../../src/cli/dlq';
import { redisUrl } from '../../support/services';

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

/** Runs `emotion-stream dlq ...` in this process against the real services and captures what it prints. */
export async function dlq(...args: string[]): Promise<CliResult> {
  const program = new Command('emotion-stream').exitOverride();
  register(program);
  let stdout = '';
  let stderr = '';
  const out = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['dlq', ...args, '--redis-url', redisUrl(), '--timeout-ms', '10000'], {
      from: 'user',
    });
    return { stdout, stderr, exitCode: process.exitCode as number | undefined };
  } finally {
    process.exitCode = previousExitCode;
    out.mockRestore();
    err.mockRestore();
  }
}
