import type { GraphDescription } from './graph-contract';
import type { ResolvedSessionSettings } from './session-settings';
import type { TensorBatch } from './tensor-batch';

/** `workerData` of a session worker. */
export interface SessionWorkerInit {
  modelFile: string;
  settings: ResolvedSessionSettings;
}

export interface RunRequest {
  type: 'run';
  id: number;
  batch: TensorBatch;
}

export type SessionWorkerReply =
  | { type: 'ready'; graph: GraphDescription }
  | { type: 'init-error'; message: string }
  | { type: 'result'; id: number; logits: Float32Array; dims: number[] }
  | { type: 'run-error'; id: number; message: string };

/** The buffers of a batch, handed over (not copied) with postMessage. */
export function transferablesOf(batch: TensorBatch): ArrayBuffer[] {
  const arrays = [batch.inputIds, batch.attentionMask, batch.tokenTypeIds].filter((a) => a !== undefined);
  return arrays.map((array) => array.buffer as ArrayBuffer);
}
