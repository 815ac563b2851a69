import { NumberValueImpl as NumberValue } from '@aws-sdk/util-dynamodb';
import type { DecimalNumber } from '../../../events/dynamodb/dynamodb-number.ts';
import { decimalProblem, formatDecimal, parseDecimal } from '../../../events/dynamodb/dynamodb-number.ts';
import type { RuleFailure } from './failure.ts';
import { describeText, failure } from './failure.ts';

/**
 * Integers and decimals, read from their text and kept exact. The row gets a JavaScript number
 * when the number's decimal text survives one (`84.34`, `12`), and otherwise util-dynamodb's
 * `NumberValue` holding the digits (`12345678901234567890.5`): both are written to a table as the
 * same exact DynamoDB number, and to CSV or NDJSON by their digits. Never rounded: a value with
 * more digits than DynamoDB keeps (38 significant) is rejected, not cut.
 */

export type ExactNumber = number | NumberValue;

export type CellNumberReading = { ok: true; value: ExactNumber; text: string; parsed: DecimalNumber } | { ok: false; failure: RuleFailure };

// Readers of cells sometimes leave these in; they never change the number.
const GROUPING = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;

/** The exact value for a canonical decimal text: a number when it round-trips, else a `NumberValue`. */
export function exactValue(text: string, parsed?: DecimalNumber): ExactNumber {
  // Up to 15 significant digits survive a double, and between 1e-6 and 1e21 JavaScript writes them
  // back without an exponent: most numbers need no round trip to know it.
  if (parsed && parsed.digits.length <= 15 && parsed.point > -6 && parsed.point <= 21) return Number(text);
  const number = Number(text);
  return String(number) === text ? number : NumberValue.from(text);
}

function describeWrongNumber(text: string): string {
  return GROUPING.test(text) ? 'a number with thousands separators' : describeText(text);
}

/** Reads the decimal text of a number (or a JSON number's `String()`), as `type` asks. */
export function readNumber(text: string, type: 'integer' | 'decimal'): CellNumberReading {
  const expected = type === 'integer' ? 'an integer' : 'a decimal number (digits with an optional sign and point, e.g. 12.50)';
  const parsed = parseDecimal(text);
  if (!parsed) return { ok: false, failure: failure(`not ${type === 'integer' ? 'an integer' : 'a decimal'}`, expected, describeWrongNumber(text)) };
  if (type === 'integer' && parsed.point < parsed.digits.length) {
    return { ok: false, failure: failure('not an integer', expected, 'a number with a fraction') };
  }
  const problem = decimalProblem(parsed);
  if (problem) return { ok: false, failure: failure('not storable', `${type === 'integer' ? 'an integer' : 'a number'} DynamoDB can store (38 significant digits, magnitude 1E-130 to 9.99E+125)`, `a number ${problem}`) };
  const canonical = formatDecimal(parsed);
  return { ok: true, value: exactValue(canonical, parsed), text: canonical, parsed };
}

/** A configured bound, read exactly, with its canonical text; undefined when it is not a number. */
export function readBound(value: number | string): { parsed: DecimalNumber; text: string } | undefined {
  const parsed = parseDecimal(typeof value === 'number' ? String(value) : value.trim());
  return parsed ? { parsed, text: formatDecimal(parsed) } : undefined;
}

const signOf = (number: DecimalNumber) => (number.digits === '' ? 0 : number.negative ? -1 : 1);

/** Orders two exact decimals (negative, zero or positive, as `a - b` would be), without arithmetic. */
export function compareDecimal(a: DecimalNumber, b: DecimalNumber): number {
  const sign = signOf(a);
  if (sign !== signOf(b)) return sign - signOf(b);
  if (sign === 0) return 0;
  // Digits have no leading zeros, so a later point is a larger magnitude.
  let magnitude = a.point - b.point;
  if (magnitude === 0) magnitude = a.digits === b.digits ? 0 : a.digits > b.digits ? 1 : -1;
  return sign * Math.sign(magnitude);
}

export type Bound = { parsed: DecimalNumber; text: string };

/** Whether the exact value is within [min, max]; the failure if not. */
export function checkNumberBounds(value: DecimalNumber, type: 'integer' | 'decimal', min: Bound | undefined, max: Bound | undefined): RuleFailure | undefined {
  const noun = type === 'integer' ? 'an integer' : 'a number';
  if (min && compareDecimal(value, min.parsed) < 0) return failure('below minimum', `${noun} >= ${min.text}`, 'a smaller one');
  if (max && compareDecimal(value, max.parsed) > 0) return failure('above maximum', `${noun} <= ${max.text}`, 'a larger one');
  return undefined;
}
