import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';

/** One `emotion-stream <command>` child process whose output goes to a log file. */
export interface CliProcess {
  name: string;
  logFile: string;
  /** Resolves with the exit code when the process ends (for any reason). */
  exited: Promise<number | null>;
  running(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** The last lines of its log, for error messages. */
  tail(lines?: number): string;
}

export function startCliProcess(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logDir: string,
): CliProcess {
  const logFile = path.join(logDir, `${name}.log`);
  const log = createWriteStream(logFile);
  // The same entry point as `npx emotion-stream`: the demo runs the real commands, not a shortcut.
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, '..', 'main.js'), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? (signal ? 128 : null);
      resolve(exitCode);
    });
  });
  void exited.then(() => log.end());
  return {
    name,
    logFile,
    exited,
    running: () => exitCode === undefined,
    stop: async (graceMs = 15_000) => {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    tail: (lines = 15) => {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
}
