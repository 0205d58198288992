import { EmotionStreamError } from './emotion-stream-error';

/** The model directory cannot be used: a missing file, an unexpected graph, a checksum mismatch. */
export class ModelLoadError extends EmotionStreamError {
  constructor(code: string, message: string, cause?: unknown) {
    super(message, { code, stage: 'model', retriable: false, cause });
  }
}
