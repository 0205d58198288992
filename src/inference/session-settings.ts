import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { ConfigError } from '../core';

/**
 * How the ONNX Runtime sessions run. `cuda` needs a GPU host with onnxruntime-node's CUDA
 * binaries installed (its install script downloads them when ONNXRUNTIME_NODE_INSTALL is not
 * `skip`); it is not tested here (no GPU), and falls back to the CPU for unsupported nodes.
 */
export interface SessionSettings {
  /**
   * `cpu` or `cuda`.
   * @defaultValue 'cpu'
   */
  executionProvider?: 'cpu' | 'cuda';
  /**
   * Worker threads, each with its own session (memory x workers).
   * @defaultValue 1
   */
  workers?: number;
  /**
   * Threads one session uses inside an operator.
   * @defaultValue the machine's cores divided by `workers` (at least 1)
   */
  intraOpThreads?: number;
  /**
   * Threads across independent operators (only with a parallel execution mode; BERT-like graphs are
   * sequential, so 1 is right).
   * @defaultValue 1
   */
  interOpThreads?: number;
  /**
   * CUDA device id when `executionProvider` is `cuda`.
   * @defaultValue 0
   */
  deviceId?: number;
}

export type ResolvedSessionSettings = Required<SessionSettings>;

const schema = z.object({
  executionProvider: z.enum(['cpu', 'cuda']).default('cpu'),
  workers: z.number().int().positive().max(64).default(1),
  intraOpThreads: z.number().int().positive().max(256).optional(),
  interOpThreads: z.number().int().positive().max(256).default(1),
  deviceId: z.number().int().nonnegative().default(0),
});

export function resolveSessionSettings(settings: SessionSettings = {}): ResolvedSessionSettings {
  const parsed = schema.safeParse(settings);
  if (!parsed.success) {
    throw new ConfigError(
      `invalid inference session settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const { intraOpThreads, ...rest } = parsed.data;
  return {
    ...rest,
    intraOpThreads: intraOpThreads ?? Math.max(1, Math.floor(availableParallelism() / rest.workers)),
  };
}
