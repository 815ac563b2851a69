import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { NumberValueImpl as NumberValue, marshall } from '@aws-sdk/util-dynamodb';
import { NUMBER_TEXT } from '../../../events/dynamodb/dynamodb-number.ts';

/**
 * Values written to a table exactly. Steps hold exact numbers in objects (big.js `Big` for sums,
 * util-dynamodb's `NumberValue` from stream images, possibly from another copy of the SDK); the
 * marshaller only knows its own `NumberValue`, so every number-like object becomes one, written
 * from its digits, never through a JavaScript number.
 */

const isPlainObject = (value: object) => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** A number held exactly in an object (`NumberValue`, big.js `Big`): its `String()` is its digits. */
export function isNumberObject(value: object): boolean {
  if (value instanceof NumberValue) return true;
  if (Array.isArray(value) || value instanceof Uint8Array || value instanceof Set || value instanceof Map || isPlainObject(value)) return false;
  return NUMBER_TEXT.test(String(value));
}

/** `value` with every number-like object replaced by a `NumberValue` of the same digits, through lists, maps and sets. */
export function toStorable(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (isNumberObject(value)) return value instanceof NumberValue ? value : NumberValue.from(plainDigits(String(value)));
  if (Array.isArray(value)) return value.map(toStorable);
  if (value instanceof Set) return new Set([...value].map(toStorable));
  if (value instanceof Map) return new Map([...value].map(([key, inner]) => [key, toStorable(inner)]));
  if (value instanceof Uint8Array) return value;
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toStorable(inner)]));
}

// DynamoDB takes exponent notation too, but the plain form is what it returns: keep them equal.
function plainDigits(text: string): string {
  if (!/[eE]/.test(text)) return text;
  const [mantissa = '', exponent = '0'] = text.split(/[eE]/);
  const negative = mantissa.startsWith('-');
  const unsigned = mantissa.replace(/^[+-]/, '');
  const [whole = '', fraction = ''] = unsigned.split('.');
  const digits = `${whole}${fraction}`;
  const point = whole.length + Number(exponent);
  const body = point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? `${digits}${'0'.repeat(point - digits.length)}` : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return `${negative ? '-' : ''}${body}`;
}

/** An item in DynamoDB's wire form, numbers exact; `undefined` attributes are left out. */
export function marshallItem(item: Record<string, unknown>): Record<string, AttributeValue> {
  return marshall(toStorable(item) as Record<string, unknown>, { removeUndefinedValues: true });
}
