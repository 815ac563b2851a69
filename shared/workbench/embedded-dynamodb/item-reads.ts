import type { WireImage } from '../../../events/dynamodb/schema.ts';
import type { DynaliteConnection } from './dynalite-connection.ts';
import type { KeySchema } from './key-schema.ts';
import { keyIdentity, keyOfItem } from './key-schema.ts';

/** BatchGetItem takes 100 keys per call. */
const BATCH = 100;

interface BatchGetOutput {
  Responses?: Record<string, WireImage[]>;
  UnprocessedKeys?: Record<string, { Keys: WireImage[] }>;
}

/** The items with these keys, as stored now (consistent reads), null where there is none; parallel to `keys`. */
export async function readItems(connection: DynaliteConnection, table: string, keys: readonly WireImage[], schema: KeySchema): Promise<(WireImage | null)[]> {
  const found = new Map<string, WireImage>();
  const distinct = [...new Map(keys.map((key) => [keyIdentity(key), key])).values()];
  for (let start = 0; start < distinct.length; start += BATCH) {
    let request: WireImage[] = distinct.slice(start, start + BATCH);
    while (request.length) {
      const output = await connection.call<BatchGetOutput>('BatchGetItem', { RequestItems: { [table]: { Keys: request, ConsistentRead: true } } });
      for (const item of output.Responses?.[table] ?? []) found.set(keyIdentity(keyOfItem(item, schema)!), item);
      request = output.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return keys.map((key) => found.get(keyIdentity(key)) ?? null);
}
