import { z } from 'zod';
import { ModelLoadError, normalizeLanguageTag } from '../core';

/** emotion-stream's own block inside config.json; every field optional. */
const emotionStreamSchema = z.object({
  name: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  /** The ONNX file to load, relative to the model folder (wins over `quantized`). */
  onnx: z.string().min(1).optional(),
  /** Expected SHA-256 (hex) of files, relative path -> digest; each is verified at load. */
  sha256: z.record(z.string(), z.string().regex(/^[0-9a-fA-F]{64}$/, 'a 64-digit hex SHA-256')).optional(),
  /** Token limit per text, [CLS] and [SEP] included. */
  max_length: z.number().int().positive().optional(),
  /** Languages the model reads, as BCP-47 tags; kept as lowercase primary subtags (`en-US` → `en`), no repeats. */
  languages: z
    .array(
      z.string().transform((tag, context) => {
        const language = normalizeLanguageTag(tag);
        if (language === undefined) {
          context.addIssue({
            code: 'custom',
            message: `${JSON.stringify(tag.slice(0, 64))} is not a language tag`,
          });
          return z.NEVER;
        }
        return language;
      }),
    )
    .min(1, 'list at least one language (or leave the key out)')
    .transform((languages) => [...new Set(languages)])
    .optional(),
});

/** The fields of a Hugging Face config.json the engine reads; anything else is ignored. */
const configSchema = z.object({
  model_type: z.string().optional(),
  _name_or_path: z.string().optional(),
  max_position_embeddings: z.number().int().positive().optional(),
  id2label: z.record(z.string(), z.string().min(1)),
  label2id: z.record(z.string(), z.number().int()).optional(),
  emotion_stream: emotionStreamSchema.optional(),
});

const tokenizerConfigSchema = z.object({
  // Hugging Face writes 1e30 ("unlimited") here for some models; any number is accepted.
  model_max_length: z.number().positive().optional(),
  pad_token: z.union([z.string(), z.object({ content: z.string() })]).optional(),
});

export type EmotionStreamModelConfig = z.infer<typeof emotionStreamSchema>;
export type ModelConfig = z.infer<typeof configSchema>;
export type TokenizerConfig = z.infer<typeof tokenizerConfigSchema> & Record<string, unknown>;

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelLoadError(
      'MODEL_CONFIG_INVALID',
      `${file} is not valid JSON: ${(error as Error).message}`,
      error,
    );
  }
}

/** Parses config.json; `file` names it in errors. */
export function parseModelConfig(text: string, file: string): ModelConfig {
  const parsed = configSchema.safeParse(parseJson(text, file));
  if (!parsed.success) {
    throw new ModelLoadError(
      'MODEL_CONFIG_INVALID',
      `${file} is not a usable model config: ${describeIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** Parses tokenizer_config.json (optional file; extra keys are kept for the tokenizer). */
export function parseTokenizerConfig(text: string, file: string): TokenizerConfig {
  const json = parseJson(text, file);
  const parsed = tokenizerConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new ModelLoadError(
      'MODEL_CONFIG_INVALID',
      `${file} is not a usable tokenizer config: ${describeIssues(parsed.error)}`,
    );
  }
  return { ...(json as Record<string, unknown>), ...parsed.data };
}

/** Labels in id order, from id2label (never from code): ids must be exactly 0..n-1. */
export function labelsFromConfig(config: ModelConfig, file: string): string[] {
  const entries = Object.entries(config.id2label).map(([id, label]) => [Number(id), label] as const);
  entries.sort((a, b) => a[0] - b[0]);
  entries.forEach(([id], index) => {
    if (id !== index) {
      throw new ModelLoadError(
        'MODEL_CONFIG_INVALID',
        `${file}: id2label ids must be 0..${entries.length - 1}, found ${JSON.stringify(Object.keys(config.id2label))}`,
      );
    }
  });
  if (entries.length === 0) throw new ModelLoadError('MODEL_CONFIG_INVALID', `${file}: id2label is empty`);
  return entries.map(([, label]) => label);
}

/**
 * Tokens per text: emotion_stream.max_length, else the tokenizer's model_max_length, capped by
 * the position embeddings (a longer sequence would index past them); 512 when nothing says.
 */
export function resolveMaxLength(config: ModelConfig, tokenizerConfig: TokenizerConfig | undefined): number {
  const positions = config.max_position_embeddings ?? 512;
  const wanted = config.emotion_stream?.max_length ?? tokenizerConfig?.model_max_length ?? positions;
  return Math.min(Math.floor(wanted), positions);
}
