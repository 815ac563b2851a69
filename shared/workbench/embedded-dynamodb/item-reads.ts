import type { Item } from './attribute-value.ts';
import type { DynaliteConnection } from './dynalite-connection.ts';
import type { KeySchema } from './key-schema.ts';
import { keyIdentity, keyOfItem } from './key-schema.ts';

/** BatchGetItem takes 100 keys per call. */
const BATCH = 100;

interface BatchGetOutput {
  Responses?: Record<string, Item[]>;
  UnprocessedKeys?: Record<string, { Keys: Item[] }>;
}

/** The items with these keys, as stored now (consistent reads), null where there is none; parallel to `keys`. */
export async function readItems(connection: DynaliteConnection, table: string, keys: readonly Item[], schema: KeySchema): Promise<(Item | null)[]> {
  const found = new Map<string, Item>();
  const distinct = [...new Map(keys.map((key) => [keyIdentity(key), key])).values()];
  for (let start = 0; start < distinct.length; start += BATCH) {
    let request: Item[] = distinct.slice(start, start + BATCH);
    while (request.length) {
      const output = await connection.call<BatchGetOutput>('BatchGetItem', { RequestItems: { [table]: { Keys: request, ConsistentRead: true } } });
      for (const item of output.Responses?.[table] ?? []) found.set(keyIdentity(keyOfItem(item, schema)!), item);
      request = output.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return keys.map((key) => found.get(keyIdentity(key)) ?? null);
}
