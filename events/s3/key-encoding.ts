import { EventError } from '../../shared/contract/errors.ts';

/**
 * Object keys in S3 event notifications are form-urlencoded (Python's
 * `urllib.parse.quote_plus(key, safe="/")`): a space is `+`, a literal `+` is `%2B`, and every byte
 * outside `A-Za-z0-9_.-~/` of the key's UTF-8 is `%XX`. Samples and emulators write `%20` for a
 * space and over-encode `-` as `%2D`; the decoder accepts those too, because both are read the
 * same way by form decoding.
 */

// Python's quote() always-safe set plus the "/" that S3 keeps, so prefixes stay readable.
const KEPT = /^[A-Za-z0-9_.\-~/]$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const utf8 = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF: it is part of the key, and dropping it would name another object.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Encodes a decoded key exactly as S3 writes it into an event notification. */
export function encodeS3EventKey(key: string): string {
  // TextEncoder would turn a lone surrogate into U+FFFD silently; S3 keys are UTF-8, so refuse.
  if (UNPAIRED_SURROGATE.test(key)) {
    throw new EventError(`cannot encode S3 object key ${JSON.stringify(key)}: it is not valid Unicode (unpaired surrogate)`);
  }
  let out = '';
  for (const byte of utf8.encode(key)) {
    const char = String.fromCharCode(byte);
    if (byte < 0x80 && KEPT.test(char)) out += char;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function malformed(encoded: string, what: string, cause?: unknown): EventError {
  return new EventError(`cannot decode S3 object key ${JSON.stringify(encoded)}: ${what}`, cause === undefined ? {} : { cause });
}

/**
 * Decodes a key as found in a notification. Never guesses: a `%` not followed by two hex digits,
 * or escapes that do not form UTF-8, throw an EventError naming the key and the problem, since a
 * wrongly decoded key would silently address another object.
 */
export function decodeS3EventKey(encoded: string): string {
  if (UNPAIRED_SURROGATE.test(encoded)) throw malformed(encoded, 'it is not valid Unicode (unpaired surrogate)');
  const bytes: number[] = [];
  let i = 0;
  while (i < encoded.length) {
    const char = encoded[i] as string;
    if (char === '%') {
      const hex = encoded.slice(i + 1, i + 3);
      if (!HEX_PAIR.test(hex)) {
        const shown = JSON.stringify(encoded.slice(i, i + 3));
        throw malformed(encoded, `${shown} at position ${i} is not a percent escape (expected "%" and two hex digits)`);
      }
      bytes.push(Number.parseInt(hex, 16));
      i += 3;
    } else if (char === '+') {
      bytes.push(0x20);
      i += 1;
    } else {
      // Characters left unencoded (emulators do this for non-ASCII keys) are taken as they are.
      const codePoint = encoded.codePointAt(i) as number;
      const literal = String.fromCodePoint(codePoint);
      bytes.push(...utf8.encode(literal));
      i += literal.length;
    }
  }
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch (error) {
    throw malformed(encoded, 'its percent escapes do not form valid UTF-8', error);
  }
}
