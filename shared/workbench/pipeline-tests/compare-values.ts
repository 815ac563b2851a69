import Big from 'big.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A number as a decimal string, however it was read back: a JS number, or an exact number that JS
 * cannot hold (scanItems gives those as strings; util-dynamodb's NumberValue and big.js values
 * give them through toString). Undefined when `value` is not a number.
 */
export function decimalOf(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'string') return DECIMAL.test(value) ? value : undefined;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Set) && !(value instanceof Uint8Array) && Object.getPrototypeOf(value) !== Object.prototype) {
    const text = String(value);
    return DECIMAL.test(text) ? text : undefined;
  }
  return undefined;
}

export function sameDecimal(a: unknown, b: unknown): boolean {
  const left = decimalOf(a);
  const right = decimalOf(b);
  return left !== undefined && right !== undefined && new Big(left).eq(new Big(right));
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

/** A list matches a set (DynamoDB's SS/NS/BS, which YAML cannot write) with the same members in any order. */
function sameMembers(expected: readonly unknown[], actual: readonly unknown[]): boolean {
  if (expected.length !== actual.length) return false;
  const left = [...actual];
  return expected.every((want) => {
    const at = left.findIndex((have) => sameValue(want, have));
    return at >= 0 && left.splice(at, 1).length === 1;
  });
}

/**
 * Whether a stored value is the expected one (a value from a test file's YAML): numbers by decimal
 * value, so 30.5 equals a stored 30.50 however it is read back; strings, booleans and null
 * exactly; lists element by element; mappings key by key, with no key more or less.
 */
export function sameValue(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number') return sameDecimal(expected, actual);
  if (Array.isArray(expected)) {
    if (actual instanceof Set) return sameMembers(expected, [...(actual as Set<unknown>)]);
    return Array.isArray(actual) && actual.length === expected.length && expected.every((want, index) => sameValue(want, actual[index]));
  }
  if (isMapping(expected)) {
    if (!isMapping(actual)) return false;
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((key) => key in actual && sameValue(expected[key], actual[key]));
  }
  return expected === actual;
}

/** A value as messages show it: numbers bare (also exact ones read back as text, when a number was expected), strings quoted. */
export function showValue(value: unknown, numberExpected = false): string {
  if (value === undefined) return 'nothing';
  if (numberExpected && decimalOf(value) !== undefined) return decimalOf(value)!;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === 'object' && value !== null && !isMapping(value) && !Array.isArray(value) && !(value instanceof Set) && decimalOf(value) !== undefined) return decimalOf(value)!;
  return JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Set ? [...(inner as Set<unknown>)] : inner)) ?? String(value);
}
