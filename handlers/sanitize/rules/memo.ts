/** Most results one memo keeps: with short keys, a few megabytes at most. */
export const MEMO_SIZE = 16_384;

/**
 * A pure function that remembers its last results. Parsing a phone number or computing an HMAC
 * costs more than everything else a row goes through, and in an orders file the same customer's
 * email and number recur. A memo lives as long as the sanitizer that made it (one invocation), in
 * memory only, and is emptied whenever it fills, so it never grows past `size` entries. When a
 * whole fill brought fewer than one hit in ten (values that do not recur), it stops remembering:
 * the lookups would cost more than they save.
 */
export function memoize<T>(compute: (text: string) => T, size = MEMO_SIZE): (text: string) => T {
  let memo: Map<string, T> | undefined = new Map();
  let hits = 0;
  return (text) => {
    if (!memo) return compute(text);
    let result = memo.get(text);
    if (result !== undefined) {
      hits++;
      return result;
    }
    result = compute(text);
    if (memo.size >= size) {
      memo = hits * 10 < size ? undefined : new Map();
      hits = 0;
    }
    memo?.set(text, result);
    return result;
  };
}
