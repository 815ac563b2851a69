import type { WireAttributeValue, WireImage } from '../../../events/dynamodb/schema.ts';
import { canonicalItemText } from './attribute-value.ts';

export type KeyAttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  name: string;
  type: KeyAttributeType;
}

/** A table's primary key: the partition key, then the sort key when there is one. */
export type KeySchema = readonly KeyAttribute[];

const hasType = (value: WireAttributeValue | undefined, type: KeyAttributeType): boolean =>
  value !== undefined && Object.keys(value).length === 1 && typeof (value as Record<string, unknown>)[type] === 'string';

/** The key of an item, in schema order; undefined when the item lacks a key attribute or has it with another type. */
export function keyOfItem(item: unknown, schema: KeySchema): WireImage | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const key: WireImage = {};
  for (const { name, type } of schema) {
    const value = (item as WireImage)[name];
    if (!hasType(value, type)) return undefined;
    key[name] = value!;
  }
  return key;
}

/** The same, for a `Key` parameter: it must hold the key attributes and nothing else (DynamoDB refuses it otherwise). */
export function validKey(key: unknown, schema: KeySchema): WireImage | undefined {
  if (typeof key !== 'object' || key === null || Object.keys(key).length !== schema.length) return undefined;
  return keyOfItem(key, schema);
}

/** Equal for two keys exactly when they name the same item (`{N: "1.0"}` and `{N: "1"}` do). */
export const keyIdentity = (key: WireImage): string => canonicalItemText(key);
