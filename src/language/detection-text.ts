// The part of a tweet a language detector should see: words, not links, handles or control bytes.

/** Detection reads at most this many UTF-16 units: a tweet is 280 characters, and cost grows with length. */
export const MAX_DETECTION_CHARS = 1000;

const URL = /\b(?:https?:\/\/|www\.)\S+/giu;
const MENTION = /@[\p{L}\p{N}_]+/gu;
// Control and format characters (NUL, bidi marks, zero-width joiners) and lone surrogates carry no language.
const NOISE = /[\p{Cc}\p{Cf}\p{Cs}#]/gu;

/** `text` without URLs, @mentions, `#` signs, control characters and lone surrogates; bounded in length. */
export function detectionText(text: string): string {
  return text
    .slice(0, MAX_DETECTION_CHARS * 2)
    .replace(URL, ' ')
    .replace(MENTION, ' ')
    .replace(NOISE, ' ')
    .replace(/\s+/gu, ' ')
    .trim()
    .slice(0, MAX_DETECTION_CHARS)
    .replace(/\p{Cs}/gu, '');
}
