import path from 'node:path';
import { fromPackageRoot } from '../../../src/config/package-root';
import { classifierOptions, resolveModelDir } from '../../../src/cli/model-flags';

describe('model flags', () => {
  it('resolves --model from the working directory, MODEL_DIR and the default from the package root', () => {
    expect(resolveModelDir({ model: 'some/dir' }, {})).toBe(path.resolve('some/dir'));
    expect(resolveModelDir({}, { MODEL_DIR: 'models/other' })).toBe(fromPackageRoot('models/other'));
    expect(resolveModelDir({}, { MODEL_DIR: '/abs/model' })).toBe('/abs/model');
    expect(resolveModelDir({}, {})).toBe(fromPackageRoot('models/emotion-minilm-l3'));
  });

  it('turns numeric flags into classifier options and rejects bad numbers', () => {
    expect(
      classifierOptions({ model: '/m', batchSize: '64', maxWaitMs: '0', workers: '2', threads: '1' }),
    ).toMatchObject({
      modelDir: '/m',
      maxBatchSize: 64,
      maxWaitMs: 0,
      workers: 2,
      intraOpThreads: 1,
    });
    expect(() => classifierOptions({ model: '/m', batchSize: '0' })).toThrow(
      '--batch-size must be a positive integer',
    );
    expect(() => classifierOptions({ model: '/m', threads: 'two' })).toThrow(
      '--threads must be a positive integer',
    );
  });
});
