import Big from 'big.js';

/**
 * Exact decimals for sums and averages: DynamoDB numbers have up to 38 significant digits, which
 * no JavaScript number holds, and money summed in floating point drifts (0.1 + 0.2).
 */

/** DynamoDB's number limits: 38 significant digits, magnitude from 1E-130 to below 1E+126. */
export const MAX_SIGNIFICANT_DIGITS = 38;
export const MAX_EXPONENT = 125;
export const MIN_EXPONENT = -130;

// An independent constructor, so these settings do not leak into other users of big.js. A
// quotient gets enough places to keep 38 significant digits of the smallest number DynamoDB
// stores; toString never switches to exponent notation within DynamoDB's range.
export const Decimal = Big();
Decimal.DP = -MIN_EXPONENT + MAX_SIGNIFICANT_DIGITS + 2;
Decimal.RM = Big.roundHalfEven;
Decimal.NE = -1_000_000;
Decimal.PE = 1_000_000;

export type Exact = Big;

const NUMBER_LITERAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What a value is, for messages that must not repeat the value itself (it may be personal data). */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Set) return 'a set';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}

/** True for a number held in an object (util-dynamodb's NumberValue, a big.js Big): its string is the exact digits. */
function isWrappedNumber(value: object): boolean {
  if (Array.isArray(value) || value instanceof Uint8Array || value instanceof Set || value instanceof Map) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return false;
  return NUMBER_LITERAL.test(String(value));
}

/** Whether `value` is meant as a number (a JavaScript number, a bigint or a wrapped number), right or wrong. */
export function isNumberLike(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || (typeof value === 'object' && value !== null && isWrappedNumber(value));
}

export type MetricNumberReading = { ok: true; value: Exact } | { ok: false; expected: string };

/** Whether `value` fits DynamoDB's number type; the reason when it does not. */
export function checkStorable(value: Exact): string | undefined {
  if (value.c.length > MAX_SIGNIFICANT_DIGITS) {
    return `a number of at most ${MAX_SIGNIFICANT_DIGITS} significant digits (DynamoDB's limit), found one of ${value.c.length}`;
  }
  if (!value.eq(0) && (value.e > MAX_EXPONENT || value.e < MIN_EXPONENT)) {
    return 'a number DynamoDB can store (magnitude from 1E-130 to below 1E+126), found one outside that range';
  }
  return undefined;
}

/**
 * Reads a number exactly: a JavaScript number (by its shortest decimal form, as it prints), a
 * bigint, or a number held in an object whose string is its digits. A string is not a number,
 * even when it holds digits: a table that stores amounts as text has a bug worth seeing.
 */
export function readNumber(value: unknown): MetricNumberReading {
  let exact: Exact | undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, expected: `a finite number, found ${String(value)}` };
    exact = new Decimal(value);
  } else if (typeof value === 'bigint') {
    exact = new Decimal(value.toString());
  } else if (typeof value === 'object' && value !== null && isWrappedNumber(value)) {
    exact = new Decimal(String(value));
  }
  if (exact === undefined) {
    const hint = typeof value === 'string' && NUMBER_LITERAL.test(value.trim()) ? ' of digits (store numbers as numbers, not text)' : '';
    return { ok: false, expected: `a number, found ${describeKind(value)}${hint}` };
  }
  const problem = checkStorable(exact);
  return problem ? { ok: false, expected: problem } : { ok: true, value: exact };
}

/** The one spelling of a number, so that 1.50 and 1.5 are the same group and the same min. */
export function canonical(value: Exact): string {
  return value.eq(0) ? '0' : value.toString();
}
