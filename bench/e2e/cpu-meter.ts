import { readFileSync } from 'node:fs';

/**
 * CPU spent over a phase, which (unlike wall time) barely depends on how busy the shared machine is:
 * the whole process (main thread + inference worker + ONNX Runtime's threads + GC helpers) from
 * process.cpuUsage(), and the main thread alone from Linux's /proc/self/task/<pid>/schedstat, whose
 * second field also tells how long the main thread sat runnable waiting for a core (contention).
 */
export interface CpuSpent {
  processMs: number;
  mainThreadMs: number;
  /** Time the main thread was ready to run but had no core (NaN off Linux). */
  mainThreadWaitMs: number;
}

function mainThreadSchedstat(): [number, number] {
  try {
    const [onCpuNs, waitNs] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return [onCpuNs / 1e6, waitNs / 1e6];
  } catch {
    return [Number.NaN, Number.NaN];
  }
}

export function meterCpu(): { read(): CpuSpent } {
  const usage = process.cpuUsage();
  const [main0, wait0] = mainThreadSchedstat();
  return {
    read() {
      const delta = process.cpuUsage(usage);
      const [main1, wait1] = mainThreadSchedstat();
      return {
        processMs: (delta.user + delta.system) / 1000,
        mainThreadMs: main1 - main0,
        mainThreadWaitMs: wait1 - wait0,
      };
    },
  };
}
