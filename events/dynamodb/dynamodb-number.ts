/**
 * DynamoDB numbers (`{ "N": "123.45" }`) read exactly, from their text: up to 38 significant
 * digits, more than a JS number holds, so nothing here goes through `Number` until the value is
 * known to survive it.
 */

/** The decimal grammar DynamoDB accepts in `N` (as the JSON text of a number, or with a `+`). */
export const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export const MAX_SIGNIFICANT_DIGITS = 38;
// DynamoDB's range: magnitudes from 1E-130 to 9.99...E+125 (and zero).
const MAX_POINT = 126;
const MIN_POINT = -129;

/** `123.45` is digits "12345" with the point after 3 of them; zero has no digits. */
export interface DecimalNumber {
  negative: boolean;
  /** Significant digits, without leading or trailing zeros. */
  digits: string;
  /** Where the decimal point sits, counted in digits from the start of `digits` (may be < 0 or > length). */
  point: number;
}

export function parseDecimal(text: string): DecimalNumber | undefined {
  // NUMBER_TEXT's grammar, read by hand: this runs for every number cell of every row.
  const length = text.length;
  let at = 0;
  const sign = text.charCodeAt(0);
  if (sign === 43 || sign === 45) at = 1;
  const wholeStart = at;
  while (at < length && isDigit(text.charCodeAt(at))) at++;
  const wholeEnd = at;
  let fractionStart = at;
  let fractionEnd = at;
  if (text.charCodeAt(at) === 46) {
    fractionStart = ++at;
    while (at < length && isDigit(text.charCodeAt(at))) at++;
    fractionEnd = at;
  }
  if (wholeEnd === wholeStart && fractionEnd === fractionStart) return undefined;
  let exponent = 0;
  if (at < length) {
    const e = text.charCodeAt(at);
    if (e !== 101 && e !== 69) return undefined;
    const exponentStart = ++at;
    const exponentSign = text.charCodeAt(at);
    if (exponentSign === 43 || exponentSign === 45) at++;
    const digitsStart = at;
    while (at < length && isDigit(text.charCodeAt(at))) at++;
    if (at === digitsStart || at !== length) return undefined;
    exponent = Number(text.slice(exponentStart));
  }
  const all = fractionEnd === fractionStart ? text.slice(wholeStart, wholeEnd) : text.slice(wholeStart, wholeEnd) + text.slice(fractionStart, fractionEnd);
  let first = 0;
  while (first < all.length && all.charCodeAt(first) === 48) first++;
  if (first === all.length) return { negative: false, digits: '', point: 0 };
  let last = all.length;
  while (all.charCodeAt(last - 1) === 48) last--;
  return { negative: sign === 45, digits: all.slice(first, last), point: wholeEnd - wholeStart - first + exponent };
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/** The plain decimal text DynamoDB stores and returns: no exponent, no needless zeros, `0` for zero. */
export function formatDecimal({ negative, digits, point }: DecimalNumber): string {
  if (!digits) return '0';
  const sign = negative ? '-' : '';
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** What DynamoDB would refuse to store, or undefined when the number is storable. */
export function decimalProblem({ digits, point }: DecimalNumber): string | undefined {
  if (digits.length > MAX_SIGNIFICANT_DIGITS) return `more than ${MAX_SIGNIFICANT_DIGITS} significant digits`;
  if (digits && point > MAX_POINT) return 'larger in magnitude than DynamoDB stores (9.99E+125 at most)';
  if (digits && point < MIN_POINT) return 'smaller in magnitude than DynamoDB stores (1E-130 at least)';
  return undefined;
}

/**
 * Bytes DynamoDB counts for a number: "1 byte per two significant digits, plus 1". The digits
 * are stored in pairs aligned on the decimal point (so 1.5 takes two pairs, 15 one), plus a byte
 * for a negative sign: the same count dynalite uses, and it reproduces the `SizeBytes` of every
 * record recorded from real streams in the corpus.
 */
export function decimalSize({ negative, digits, point }: DecimalNumber): number {
  if (!digits) return 1;
  const highest = point - 1;
  const lowest = point - digits.length;
  const pairs = Math.floor(highest / 2) - Math.floor(lowest / 2) + 1;
  return 1 + pairs + (negative ? 1 : 0);
}
