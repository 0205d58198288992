import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InferenceFailedError, ModelLoadError } from '../core';
import type { GraphDescription } from './graph-contract';
import type { ResolvedSessionSettings } from './session-settings';
import type { TensorBatch } from './tensor-batch';
import { transferablesOf, type SessionWorkerInit, type SessionWorkerReply } from './worker-messages';

export interface RunResult {
  /** Row-major [batch, labels]. */
  logits: Float32Array;
  dims: number[];
}

interface Deferred {
  resolve: (result: RunResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<GraphDescription>;
  pending: Map<number, Deferred>;
}

/**
 * The worker script next to this file: session-worker.js after a build. Under jest or tsx it is the
 * TypeScript source, which Node cannot load as a worker entry; a tiny eval'd bootstrap registers
 * tsx's require hook first (tsx is a dev dependency; a build never takes this path).
 */
function workerEntry(): { script: string; eval: boolean } {
  const extension = path.extname(__filename);
  const file = path.join(__dirname, `session-worker${extension}`);
  if (extension !== '.ts') return { script: file, eval: false };
  const hook = require.resolve('tsx/cjs');
  return { script: `require(${JSON.stringify(hook)}); require(${JSON.stringify(file)});`, eval: true };
}

/**
 * A few worker threads, each holding its own ONNX Runtime session of the same model. Batches go to
 * the least busy worker; tensors travel as transferred ArrayBuffers (no copy). A worker that dies
 * fails only its in-flight batches (InferenceFailedError, retriable) and is replaced.
 */
export class SessionPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closing = false;

  private constructor(
    private readonly modelFile: string,
    private readonly settings: ResolvedSessionSettings,
  ) {}

  /** Starts `settings.workers` workers and resolves once every session is loaded. */
  static async start(modelFile: string, settings: ResolvedSessionSettings): Promise<SessionPool> {
    const pool = new SessionPool(modelFile, settings);
    for (let i = 0; i < settings.workers; i += 1) pool.slots.push(pool.spawn());
    try {
      await Promise.all(pool.slots.map((slot) => slot.ready));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** What the first worker found in the graph (all load the same file). */
  graph(): Promise<GraphDescription> {
    return this.slots[0].ready;
  }

  async run(batch: TensorBatch): Promise<RunResult> {
    if (this.closing) throw new InferenceFailedError('inference session pool is closed');
    let slot = this.leastBusy();
    await slot.ready;
    // The worker may have died (and been replaced) while this call waited for it to load.
    while (!this.slots.includes(slot)) {
      slot = this.leastBusy();
      await slot.ready;
    }
    const id = this.nextId++;
    return new Promise<RunResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ type: 'run', id, batch }, transferablesOf(batch));
    });
  }

  private leastBusy(): Slot {
    return this.slots.reduce((best, candidate) =>
      candidate.pending.size < best.pending.size ? candidate : best,
    );
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const entry = workerEntry();
    const init: SessionWorkerInit = { modelFile: this.modelFile, settings: this.settings };
    const worker = new Worker(entry.script, { eval: entry.eval, workerData: init });
    const pending = new Map<number, Deferred>();
    let settleReady:
      { resolve: (graph: GraphDescription) => void; reject: (error: Error) => void } | undefined;
    const ready = new Promise<GraphDescription>((resolve, reject) => {
      settleReady = { resolve, reject };
    });
    // A failed load must not surface as an unhandled rejection when nobody runs on this slot yet.
    ready.catch(() => undefined);
    const slot: Slot = { worker, ready, pending };
    let loaded = false;

    worker.on('message', (message: SessionWorkerReply) => {
      if (message.type === 'ready') {
        loaded = true;
        settleReady?.resolve(message.graph);
      } else if (message.type === 'init-error') {
        settleReady?.reject(
          new ModelLoadError(
            'MODEL_SESSION_FAILED',
            `ONNX Runtime cannot load ${this.modelFile}: ${message.message}`,
          ),
        );
      } else {
        const deferred = pending.get(message.id);
        pending.delete(message.id);
        if (message.type === 'result') deferred?.resolve({ logits: message.logits, dims: message.dims });
        else deferred?.reject(new InferenceFailedError(`inference failed: ${message.message}`));
      }
    });
    let lastError: Error | undefined;
    worker.on('error', (error) => {
      lastError = error;
    });
    worker.on('exit', (code) => {
      const reason = lastError ? `: ${lastError.message}` : '';
      settleReady?.reject(
        new ModelLoadError(
          'MODEL_SESSION_FAILED',
          `inference worker exited with code ${code} while loading ${this.modelFile}${reason}`,
        ),
      );
      for (const deferred of pending.values()) {
        deferred.reject(
          new InferenceFailedError(`inference worker exited with code ${code}${reason}`, {
            cause: lastError,
          }),
        );
      }
      pending.clear();
      // Replace a crashed worker, but not one that never loaded (it would fail the same way forever).
      const index = this.slots.indexOf(slot);
      if (!this.closing && loaded && index >= 0) this.slots[index] = this.spawn();
    });
    return slot;
  }
}
