import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { decimalSize, parseDecimal } from '../../../events/dynamodb/dynamodb-number.ts';

/**
 * The size DynamoDB counts for an item about to be written (names and strings in UTF-8 bytes,
 * numbers by their digit pairs, 3 bytes plus 1 per element for lists and maps), so an item over
 * the 400 KB limit is refused with a reason before the write, not by a bare ValidationException.
 */
export const MAX_ITEM_BYTES = 400 * 1024;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

function numberSize(text: string): number {
  const parsed = parseDecimal(text);
  return parsed ? decimalSize(parsed) : utf8(text);
}

export function attributeSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.SS !== undefined) return value.SS.reduce((sum, item) => sum + utf8(item), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, item) => sum + numberSize(item), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, item) => sum + item.length, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, item) => sum + 1 + attributeSize(item), 0);
  if (value.M !== undefined) return 3 + Object.keys(value.M).length + itemSize(value.M);
  return 1;
}

export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + attributeSize(value), 0);
}

/** The largest attributes first, for a message that says what made an item too large. */
export function largestAttributes(item: Record<string, AttributeValue>, count = 2): { name: string; bytes: number }[] {
  return Object.entries(item)
    .map(([name, value]) => ({ name, bytes: utf8(name) + attributeSize(value) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}
