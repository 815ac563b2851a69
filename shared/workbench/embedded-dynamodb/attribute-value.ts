import Big from 'big.js';
import type { WireAttributeValue, WireImage } from '../../../events/dynamodb/schema.ts';

const canonicalNumber = (value: string) => new Big(value).toString();
const canonicalBinary = (value: string) => Buffer.from(value, 'base64').toString('base64');

// DynamoDB holds 1.50 and 1.5 as one number and sets without order, so two images that differ
// only in those ways are the same item: a write between them changed nothing.
function canonicalValue(value: WireAttributeValue): unknown {
  if (value.N !== undefined) return { N: canonicalNumber(value.N) };
  if (value.NS !== undefined) return { NS: value.NS.map(canonicalNumber).sort() };
  if (value.SS !== undefined) return { SS: [...value.SS].sort() };
  if (value.B !== undefined) return { B: canonicalBinary(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(canonicalBinary).sort() };
  if (value.M !== undefined) return { M: canonicalItem(value.M) };
  if (value.L !== undefined) return { L: value.L.map(canonicalValue) };
  return value;
}

function canonicalItem(item: WireImage): [string, unknown][] {
  return Object.keys(item)
    .sort()
    .map((name) => [name, canonicalValue(item[name]!)]);
}

/** A string that is equal for two items exactly when DynamoDB holds them as the same item. */
export const canonicalItemText = (item: WireImage): string => JSON.stringify(canonicalItem(item));

export const sameItem = (a: WireImage, b: WireImage): boolean => canonicalItemText(a) === canonicalItemText(b);
