import { EmotionStreamError } from './emotion-stream-error';

/** A setting is missing or invalid; the message names the setting and what is expected. */
export class ConfigError extends EmotionStreamError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'CONFIG_INVALID', stage: 'config', retriable: false, cause });
  }
}
