import type { ModelInfo } from '../core';

/**
 * The languages the model reads: its config.json's declaration, else the operator's MODEL_LANGUAGES,
 * with one warning (called once, when the worker starts) so an undeclared model does not pass unnoticed.
 */
export function resolveModelLanguages(
  model: ModelInfo,
  configured: readonly string[],
  warn: (message: string) => void,
): ReadonlySet<string> {
  if (model.languages !== undefined && model.languages.length > 0) return new Set(model.languages);
  warn(
    `model ${model.name} ${model.version} does not declare its languages (config.json emotion_stream.languages); ` +
      `using MODEL_LANGUAGES=${configured.join(',')}`,
  );
  return new Set(configured);
}
