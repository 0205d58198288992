// One home for "which language is this tag": used by the settings (MODEL_LANGUAGES), the model loader
// (config.json's languages) and the language stage (the producer's `lang`), which may not import each other.

/** Longer tags are not language tags but junk (real BCP-47 tags are a few dozen characters at most). */
const MAX_TAG_LENGTH = 64;

// Codes Twitter/X puts in `lang` that name no language: undetermined, no linguistic content, media,
// hashtags-only, @mentions-only, cashtags-only, multiple languages, uncoded.
const NOT_A_LANGUAGE = new Set(['und', 'zxx', 'qme', 'qht', 'qam', 'qst', 'mul', 'mis']);

// Deprecated ISO 639-1 codes still written by older producers (Twitter used `in` for Indonesian).
const DEPRECATED = new Map([
  ['in', 'id'],
  ['iw', 'he'],
  ['ji', 'yi'],
  ['jw', 'jv'],
]);

const PRIMARY = /^[a-z]{2,3}$/;
const SUBTAG = /^[a-z0-9]{1,8}$/;
// qaa–qtz is reserved for private use: never a language a model declares.
const PRIVATE_USE = /^q[a-t][a-z]$/;

/**
 * The lowercase primary language subtag of a BCP-47 tag (`en-GB` → `en`, `EN` → `en`, `zh-Hant-TW` →
 * `zh`, `pt_BR` → `pt`), or undefined when the value names no language: not a string, empty, too long,
 * malformed, or a code such as `und`/`zxx`/`qme`. Never throws.
 */
export function normalizeLanguageTag(tag: unknown): string | undefined {
  if (typeof tag !== 'string' || tag.length > MAX_TAG_LENGTH) return undefined;
  const subtags = tag.trim().toLowerCase().split(/[-_]/);
  const primary = subtags[0] ?? '';
  if (!PRIMARY.test(primary) || !subtags.slice(1).every((subtag) => SUBTAG.test(subtag))) return undefined;
  if (NOT_A_LANGUAGE.has(primary) || PRIVATE_USE.test(primary)) return undefined;
  return DEPRECATED.get(primary) ?? primary;
}
