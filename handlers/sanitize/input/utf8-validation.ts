/**
 * UTF-8 checks for the decoder. The fast path is Node's native `isUtf8` on each chunk; these run
 * only at chunk edges and on the rare chunk that fails it.
 */

/** U+FFFD, the replacement character, in UTF-8. */
export const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

/** How long the sequence a byte starts is (1 for ASCII, and for a byte that starts none). */
function sequenceLength(lead: number): number {
  if (lead < 0xc2) return 1;
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  if (lead < 0xf5) return 4;
  return 1;
}

/**
 * How many bytes at the end of `bytes` begin a sequence that is not complete yet (0-3): they wait
 * for the next chunk rather than being judged now.
 */
export function incompleteTailLength(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= 3 && back <= length; back++) {
    const byte = bytes[length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    return sequenceLength(byte) > back ? back : 0;
  }
  return 0;
}

/**
 * The invalid parts of `bytes`, as `[start, end)` offsets one after the other. Each part is a
 * "maximal subpart" (Unicode 15, §3.9): what the WHATWG decoder, and so every browser and Node,
 * replaces with one U+FFFD. Overlong forms, surrogates and code points past U+10FFFF are invalid.
 */
export function findInvalidUtf8(bytes: Uint8Array): number[] {
  const invalid: number[] = [];
  const length = bytes.length;
  let i = 0;
  while (i < length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) need = 1;
    else if (lead === 0xe0) [need, low] = [2, 0xa0];
    else if (lead === 0xed) [need, high] = [2, 0x9f];
    else if (lead >= 0xe1 && lead <= 0xef) need = 2;
    else if (lead === 0xf0) [need, low] = [3, 0x90];
    else if (lead === 0xf4) [need, high] = [3, 0x8f];
    else if (lead >= 0xf1 && lead <= 0xf3) need = 3;
    else {
      invalid.push(i, i + 1);
      i++;
      continue;
    }
    let end = i + 1;
    let found = 0;
    while (found < need && end < length) {
      const next = bytes[end]!;
      if (next < low || next > high) break;
      low = 0x80;
      high = 0xbf;
      end++;
      found++;
    }
    if (found < need) invalid.push(i, end);
    i = end;
  }
  return invalid;
}

/** `bytes` with each invalid part (from `findInvalidUtf8`) replaced by U+FFFD. */
export function replaceInvalidUtf8(bytes: Buffer, invalid: readonly number[]): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let k = 0; k < invalid.length; k += 2) {
    parts.push(bytes.subarray(from, invalid[k]), REPLACEMENT);
    from = invalid[k + 1]!;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}
