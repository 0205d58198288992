/**
 * One readiness condition (consumer joined, model loaded, Redis reachable, ...). Resolving with
 * anything but `false` means ready; resolving `false` or rejecting means not ready (the rejection's
 * message is shown on /readyz).
 */
export type ReadinessCheck = () => Promise<boolean | void> | boolean | void;

export interface CheckResult {
  ok: boolean;
  /** Why the check failed, when it did. */
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/** Evaluates every check concurrently; a check slower than `timeoutMs` counts as failed. */
export async function evaluateReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(check), timeout]);
        return [name, outcome === false ? { ok: false, error: 'not ready' } : { ok: true }];
      } catch (error) {
        return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const results = Object.fromEntries(entries);
  return { ready: entries.every(([, result]) => result.ok), checks: results };
}
