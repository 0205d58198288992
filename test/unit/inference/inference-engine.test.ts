import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InferenceFailedError, ModelLoadError } from '../../../src/core';
import { InferenceEngine, softmax } from '../../../src/inference';
import { copyTinyModel, editConfig, TEST_GRAPHS_DIR, TINY_MODEL_DIR } from './fixture-dir';

async function loadError(modelDir: string): Promise<ModelLoadError> {
  try {
    const engine = await InferenceEngine.load({ modelDir });
    await engine.close();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelLoadError);
    return error as ModelLoadError;
  }
  throw new Error(`expected ${modelDir} to fail loading`);
}

describe('InferenceEngine (tiny fixture)', () => {
  let engine: InferenceEngine;
  beforeAll(async () => {
    engine = await InferenceEngine.load({ modelDir: TINY_MODEL_DIR, intraOpThreads: 1 });
  });
  afterAll(async () => engine.close());

  it('gives the scores onnxruntime-python gives for the same text', async () => {
    const expected = JSON.parse(
      await readFile(path.join(TINY_MODEL_DIR, 'expected-logits.json'), 'utf8'),
    ) as Array<{ text: string; logits: number[] }>;
    const results = await engine.inferBatch(expected.map((row) => engine.encode(row.text)));
    results.forEach((result, i) => {
      const probabilities = softmax(expected[i].logits);
      engine.model.labels.forEach((label, j) =>
        expect(result.scores[label]).toBeCloseTo(probabilities[j], 5),
      );
      const best = probabilities.indexOf(Math.max(...probabilities));
      expect(result.label).toBe(engine.model.labels[best]);
      expect(result.score).toBe(result.scores[result.label]);
    });
  });

  it('returns softmax scores for every label that sum to 1', async () => {
    const [result] = await engine.inferBatch([engine.encode('i feel wonderful')]);
    expect(Object.keys(result.scores)).toEqual(['sadness', 'joy', 'love', 'anger', 'fear', 'surprise']);
    expect(Object.values(result.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it("padding does not change a text's result (pads to the longest in the batch, masked)", async () => {
    const texts = [
      'ok',
      'i am feeling rather anxious about the exam tomorrow and cannot sleep at all',
      'so happy',
    ];
    const encoded = texts.map((text) => engine.encode(text));
    const batched = await engine.inferBatch(encoded);
    for (let i = 0; i < texts.length; i += 1) {
      const [alone] = await engine.inferBatch([encoded[i]]);
      for (const label of engine.model.labels)
        expect(batched[i].scores[label]).toBeCloseTo(alone.scores[label], 5);
    }
  });

  it('rejects a non-string text with its own poison error', () => {
    expect(() => engine.encode(null)).toThrow(
      expect.objectContaining({ code: 'MISSING_TEXT', retriable: false }),
    );
  });

  it('fails in-flight batches of a crashed worker as retriable, then recovers', async () => {
    const pool = engine['pool'];
    const running = engine.inferBatch([engine.encode('crash me')]);
    await pool['slots'][0].worker.terminate();
    await expect(running).rejects.toBeInstanceOf(InferenceFailedError);
    const [result] = await engine.inferBatch([engine.encode('still alive')]);
    expect(engine.model.labels).toContain(result.label);
  });
});

describe('InferenceEngine load checks', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await copyTinyModel());
    await editConfig(dir, (config) => {
      delete config.emotion_stream;
    });
  });
  afterEach(async () => cleanup());

  it('feeds token_type_ids when the graph has it (BERT export I/O), and two workers agree', async () => {
    await copyFile(path.join(TEST_GRAPHS_DIR, 'token-type-ids.onnx'), path.join(dir, 'onnx', 'model.onnx'));
    const engine = await InferenceEngine.load({ modelDir: dir, workers: 2, intraOpThreads: 1 });
    try {
      const ids = engine.encode('i feel');
      const results = await Promise.all([engine.inferBatch([ids]), engine.inferBatch([ids])]);
      // logits[j] = mean(ids) * (j + 1): the last label wins by far.
      for (const [result] of results) expect(result.label).toBe('surprise');
    } finally {
      await engine.close();
    }
  });

  it('rejects a graph with unexpected inputs and lists them', async () => {
    await copyFile(path.join(TEST_GRAPHS_DIR, 'extra-input.onnx'), path.join(dir, 'onnx', 'model.onnx'));
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_GRAPH_UNEXPECTED');
    expect(error.message).toContain('[input_ids, attention_mask, pixel_values]');
    expect(error.message).toContain('unexpected: pixel_values');
  });

  it('rejects a label count that does not match the logits width', async () => {
    await editConfig(dir, (config) => {
      config.id2label = { '0': 'sadness', '1': 'joy', '2': 'love', '3': 'anger' };
    });
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_LABEL_MISMATCH');
    expect(error.message).toContain('config.json has 4 labels');
    expect(error.message).toContain('[1, 6]');
  });

  it('reports an ONNX file the runtime cannot load', async () => {
    await writeFile(path.join(dir, 'onnx', 'model.onnx'), 'garbage');
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_SESSION_FAILED');
    expect(error.message).toContain(path.join(dir, 'onnx', 'model.onnx'));
  });
});
