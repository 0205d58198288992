import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelLoadError } from '../../../src/core';
import { loadModelDirectory } from '../../../src/inference';
import { copyTinyModel, editConfig, emotionStreamBlock, TINY_MODEL_DIR } from './fixture-dir';

async function loadError(dir: string, options = {}): Promise<ModelLoadError> {
  try {
    await loadModelDirectory(dir, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelLoadError);
    return error as ModelLoadError;
  }
  throw new Error(`expected ${dir} to fail loading`);
}

describe('loadModelDirectory', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await copyTinyModel());
  });
  afterEach(async () => cleanup());

  it('reads labels in id order, name, version and the ONNX path from the fixture', async () => {
    const model = await loadModelDirectory(TINY_MODEL_DIR);
    expect(model.info).toEqual({
      name: 'tiny-distilbert',
      version: 'fixture-1',
      labels: ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'],
      languages: ['en'],
    });
    expect(model.files.onnx).toBe(path.join(TINY_MODEL_DIR, 'onnx', 'model.onnx'));
    expect(model.files.tokenizerConfig).toBe(path.join(TINY_MODEL_DIR, 'tokenizer_config.json'));
  });

  it('falls back to the folder name, "unversioned", model_max_length and model.onnx at the root', async () => {
    await editConfig(dir, (config) => {
      delete config.emotion_stream;
      // id2label order in the file must not matter.
      config.id2label = {
        '1': 'joy',
        '0': 'sadness',
        '2': 'love',
        '3': 'anger',
        '4': 'fear',
        '5': 'surprise',
      };
    });
    await copyFile(path.join(dir, 'onnx', 'model.onnx'), path.join(dir, 'model.onnx'));
    await rm(path.join(dir, 'onnx'), { recursive: true });
    const model = await loadModelDirectory(dir);
    expect(model.info.name).toBe('tiny-copy');
    expect(model.info.version).toBe('unversioned');
    expect(model.info.labels).toEqual(['sadness', 'joy', 'love', 'anger', 'fear', 'surprise']);
    expect(model.files.onnx).toBe(path.join(dir, 'model.onnx'));
    expect(model.tokenizer.maxLength).toBe(512);
  });

  it('reads the declared languages as primary subtags, without repeats, and leaves them undefined when absent', async () => {
    await editConfig(dir, (config) => {
      emotionStreamBlock(config).languages = ['en-GB', 'EN', 'de'];
    });
    expect((await loadModelDirectory(dir)).info.languages).toEqual(['en', 'de']);
    await editConfig(dir, (config) => {
      delete emotionStreamBlock(config).languages;
    });
    expect((await loadModelDirectory(dir)).info.languages).toBeUndefined();
  });

  it.each([[['und']], [['english']], [[]], ['en'], [[42]]])('rejects languages %j', async (languages) => {
    await editConfig(dir, (config) => {
      emotionStreamBlock(config).languages = languages;
    });
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_CONFIG_INVALID');
    expect(error.message).toContain('emotion_stream.languages');
  });

  it('caps max length at max_position_embeddings', async () => {
    await editConfig(dir, (config) => {
      emotionStreamBlock(config).max_length = 4096;
      config.max_position_embeddings = 256;
    });
    expect((await loadModelDirectory(dir)).tokenizer.maxLength).toBe(256);
  });

  it('picks the quantized file when asked', async () => {
    await editConfig(dir, (config) => {
      delete config.emotion_stream;
    });
    await copyFile(path.join(dir, 'onnx', 'model.onnx'), path.join(dir, 'onnx', 'model_quantized.onnx'));
    const model = await loadModelDirectory(dir, { quantized: true });
    expect(model.files.onnx).toBe(path.join(dir, 'onnx', 'model_quantized.onnx'));
  });

  it('says which folder is missing', async () => {
    const error = await loadError(path.join(dir, 'nope'));
    expect(error.code).toBe('MODEL_DIR_MISSING');
    expect(error.message).toContain(path.join(dir, 'nope'));
  });

  it.each(['config.json', 'tokenizer.json'])('says which file is missing: %s', async (file) => {
    await rm(path.join(dir, file));
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_FILE_MISSING');
    expect(error.message).toBe(`model file ${file} is missing in ${dir}`);
  });

  it('lists where it looked for the ONNX file', async () => {
    await editConfig(dir, (config) => {
      delete config.emotion_stream;
    });
    await rm(path.join(dir, 'onnx'), { recursive: true });
    const error = await loadError(dir, { quantized: true });
    expect(error.code).toBe('MODEL_FILE_MISSING');
    expect(error.message).toContain('onnx/model_quantized.onnx and model_quantized.onnx');
  });

  it('names the file config.json points at when it is missing', async () => {
    await editConfig(dir, (config) => {
      emotionStreamBlock(config).onnx = 'onnx/other.onnx';
    });
    expect((await loadError(dir)).message).toContain('onnx/other.onnx is missing');
  });

  it('rejects a model file whose checksum does not match', async () => {
    await writeFile(path.join(dir, 'onnx', 'model.onnx'), 'not the model');
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_CHECKSUM_MISMATCH');
    expect(error.message).toContain('onnx/model.onnx');
  });

  it('rejects config.json that is not JSON', async () => {
    await writeFile(path.join(dir, 'config.json'), '{"id2label": ');
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_CONFIG_INVALID');
    expect(error.message).toContain('config.json is not valid JSON');
  });

  it('rejects config.json without id2label', async () => {
    await editConfig(dir, (config) => {
      delete config.id2label;
    });
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_CONFIG_INVALID');
    expect(error.message).toContain('id2label');
  });

  it('rejects id2label ids with a gap', async () => {
    await editConfig(dir, (config) => {
      config.id2label = { '0': 'sadness', '2': 'joy' };
    });
    expect((await loadError(dir)).message).toContain('id2label ids must be 0..1');
  });

  it('rejects a malformed checksum entry', async () => {
    await editConfig(dir, (config) => {
      emotionStreamBlock(config).sha256 = { 'onnx/model.onnx': 'abc' };
    });
    expect((await loadError(dir)).message).toContain('64-digit hex');
  });

  it('rejects a tokenizer.json that is not JSON', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'tokenizer.json'), 'nope');
    expect((await loadError(dir)).code).toBe('MODEL_TOKENIZER_INVALID');
  });
});
