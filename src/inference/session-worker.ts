// Entry point of an inference worker thread. onnxruntime-node's run() blocks the thread it is
// called on for the whole run (measured: a 10 ms timer fired 5 times in 2.7 s of batches), so the
// session lives here, and the main thread's event loop stays free for Kafka heartbeats and probes.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { pickLogitsOutput, type GraphDescription } from './graph-contract';
import type { ResolvedSessionSettings } from './session-settings';
import type { TensorBatch } from './tensor-batch';
import type { RunRequest, SessionWorkerInit, SessionWorkerReply } from './worker-messages';

function sessionOptions(settings: ResolvedSessionSettings): ort.InferenceSession.SessionOptions {
  const executionProviders: ort.InferenceSession.ExecutionProviderConfig[] =
    settings.executionProvider === 'cuda' ? [{ name: 'cuda', deviceId: settings.deviceId }, 'cpu'] : ['cpu'];
  return {
    executionProviders,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: settings.intraOpThreads,
    interOpNumThreads: settings.interOpThreads,
    // Idle intra-op threads spin by default, burning the cores the main thread (Kafka heartbeats,
    // decoding) needs; on a small shared host that costs more than the wake-up latency it saves.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

function describe(session: ort.InferenceSession, modelFile: string): GraphDescription {
  const inputTypes: Record<string, string> = {};
  for (const meta of session.inputMetadata) inputTypes[meta.name] = meta.isTensor ? meta.type : 'non-tensor';
  return {
    inputNames: [...session.inputNames],
    inputTypes,
    outputNames: [...session.outputNames],
    logitsName: pickLogitsOutput(session.outputNames, modelFile),
  };
}

function feedsOf(batch: TensorBatch): Record<string, ort.Tensor> {
  const dims = [batch.batchSize, batch.sequenceLength];
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor(batch.idType, batch.inputIds, dims),
    attention_mask: new ort.Tensor(batch.idType, batch.attentionMask, dims),
  };
  if (batch.tokenTypeIds) feeds.token_type_ids = new ort.Tensor(batch.idType, batch.tokenTypeIds, dims);
  return feeds;
}

async function main(port: NonNullable<typeof parentPort>): Promise<void> {
  const init = workerData as SessionWorkerInit;
  const reply = (message: SessionWorkerReply, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(message, transfer);
  let session: ort.InferenceSession;
  let graph: GraphDescription;
  try {
    session = await ort.InferenceSession.create(init.modelFile, sessionOptions(init.settings));
    graph = describe(session, init.modelFile);
  } catch (error) {
    reply({ type: 'init-error', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.on('message', (request: RunRequest) => {
    void (async () => {
      try {
        const outputs = await session.run(feedsOf(request.batch), [graph.logitsName]);
        const output = outputs[graph.logitsName];
        // A copy the main thread can own; float16 exports are widened here.
        const logits =
          output.data instanceof Float32Array
            ? output.data.slice()
            : Float32Array.from(output.data as ArrayLike<number>);
        reply({ type: 'result', id: request.id, logits, dims: [...output.dims] }, [
          logits.buffer as ArrayBuffer,
        ]);
      } catch (error) {
        reply({
          type: 'run-error',
          id: request.id,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    })();
  });
  port.once('close', () => void session.release());
  reply({ type: 'ready', graph });
}

if (parentPort) void main(parentPort);
