import { Tokenizer } from '@huggingface/tokenizers';
import { ModelLoadError } from '../core';

// Kafka values are UTF-8, which cannot carry a lone surrogate; a JS string can. Replace them the way
// any UTF-8 encoder does (U+FFFD), so ids match what the same text would get after a round trip.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function sameIds(a: readonly number[], b: readonly number[], offset: number): boolean {
  for (let i = 0; i < b.length; i += 1) if (a[offset + i] !== b[i]) return false;
  return true;
}

interface TokenizerJsonShape {
  padding?: { pad_id?: number } | null;
}

/**
 * The model's tokenizer, driven by its tokenizer.json through @huggingface/tokenizers (the same
 * normalizer, pre-tokenizer, WordPiece model and [CLS]/[SEP] template as Hugging Face's Rust
 * tokenizers), plus the truncation the Rust library applies: the text's tokens are cut to
 * `maxLength` minus the special tokens, which are kept. Takes parsed JSON; does no I/O.
 */
export class TextTokenizer {
  readonly maxLength: number;
  readonly padId: number;
  private readonly tokenizer: Tokenizer;
  /** Special tokens the template puts before the text ([CLS]) and in total ([CLS] + [SEP]). */
  private readonly prefixLength: number;
  private readonly specialCount: number;

  constructor(tokenizerJson: object, tokenizerConfig: Record<string, unknown>, maxLength: number) {
    try {
      this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    } catch (error) {
      throw new ModelLoadError(
        'MODEL_TOKENIZER_INVALID',
        `tokenizer.json cannot be used: ${(error as Error).message}`,
        error,
      );
    }
    const probe = 'hello world';
    const full = this.tokenizer.encode(probe).ids;
    const content = this.tokenizer.encode(probe, { add_special_tokens: false }).ids;
    this.specialCount = full.length - content.length;
    let prefix = -1;
    for (let k = 0; k <= this.specialCount && prefix < 0; k += 1) if (sameIds(full, content, k)) prefix = k;
    if (prefix < 0) {
      throw new ModelLoadError(
        'MODEL_TOKENIZER_INVALID',
        'tokenizer.json: the post-processor does not wrap the text in special tokens as expected',
      );
    }
    this.prefixLength = prefix;
    if (maxLength <= this.specialCount) {
      throw new ModelLoadError(
        'MODEL_CONFIG_INVALID',
        `max length ${maxLength} leaves no room for text beside ${this.specialCount} special tokens`,
      );
    }
    this.maxLength = maxLength;
    this.padId = this.findPadId(tokenizerJson as TokenizerJsonShape, tokenizerConfig);
  }

  /** The ids the model receives for one text: special tokens included, truncated, not padded. */
  encode(text: string): number[] {
    const ids = this.tokenizer.encode(text.replace(LONE_SURROGATE, '\uFFFD')).ids;
    if (ids.length <= this.maxLength) return ids;
    const keep = this.maxLength - this.specialCount;
    const suffixLength = this.specialCount - this.prefixLength;
    return [...ids.slice(0, this.prefixLength + keep), ...ids.slice(ids.length - suffixLength)];
  }

  private findPadId(tokenizerJson: TokenizerJsonShape, tokenizerConfig: Record<string, unknown>): number {
    const fromPadding = tokenizerJson.padding?.pad_id;
    if (typeof fromPadding === 'number') return fromPadding;
    const padToken = tokenizerConfig.pad_token;
    const padText =
      typeof padToken === 'string' ? padToken : (padToken as { content?: string } | undefined)?.content;
    return this.tokenizer.token_to_id(padText ?? '[PAD]') ?? 0;
  }
}
