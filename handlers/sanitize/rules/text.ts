import type { RuleFailure } from './failure.ts';
import { failure } from './failure.ts';
import type { NormalizeOptions } from './column-spec.ts';

/**
 * The first cleaning every text value gets: broken UTF-16 refused, control characters handled,
 * Unicode normalized, white space trimmed. Most cells are plain printable ASCII, which none of
 * this changes, so they are recognised by one regular expression and returned as they are.
 */

const PLAIN = /^[\x20-\x7e]*$/;
// In Unicode mode a surrogate pair is one code point, so only an unpaired half matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// eslint-disable-next-line no-control-regex -- control characters are what these find
const CONTROLS_BUT_LINES = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/g;
// eslint-disable-next-line no-control-regex -- as above
const ALL_CONTROLS = /[\x00-\x1F\x7F-\x9F]/g;

export interface TextCleaning {
  normalize: NormalizeOptions;
  trim: boolean;
  case: 'none' | 'lower' | 'upper';
}

/** The clean text, or why there is none: a string or a failure, so the common case allocates nothing. */
export type TextReading = string | RuleFailure;

/** Normalization and control characters only: what the quarantine and the scanner see too. */
export function normalizeText(text: string, options: NormalizeOptions): TextReading {
  if (PLAIN.test(text)) return text;
  if (LONE_SURROGATE.test(text)) {
    // DynamoDB and every UTF-8 writer refuse these; no normalization can say what was meant.
    return failure('invalid text', 'valid Unicode text', 'an unpaired UTF-16 surrogate');
  }
  let out = text;
  if (options.controls === 'reject') {
    const count = out.match(CONTROLS_BUT_LINES)?.length ?? 0;
    if (count) return failure('control characters', 'text without control characters', `${count} control character${count === 1 ? '' : 's'}`);
  } else if (options.controls === 'strip') {
    out = out.replace(CONTROLS_BUT_LINES, '');
  } else if (options.controls === 'stripAll') {
    out = out.replace(ALL_CONTROLS, '');
  }
  if (options.form !== 'none') out = out.normalize(options.form);
  return out;
}

/** Normalization, trimming and case, in that order. */
export function cleanText(text: string, options: TextCleaning): TextReading {
  const normalized = normalizeText(text, options.normalize);
  if (typeof normalized !== 'string') return normalized;
  let out = options.trim ? normalized.trim() : normalized;
  if (options.case === 'lower') out = out.toLowerCase();
  else if (options.case === 'upper') out = out.toUpperCase();
  return out;
}

/** Length as people count it: code points, not UTF-16 units. */
export function codePointLength(text: string): number {
  if (PLAIN.test(text)) return text.length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}
