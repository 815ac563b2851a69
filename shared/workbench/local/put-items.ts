import { readFile } from 'node:fs/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UsageError } from '../../contract/errors.ts';
import type { TableResource } from '../../engine/pipeline/resources.ts';
import { writeRows } from '../../engine/runtime/table-output.ts';

export interface PutItemsSpec {
  table: string;
  path: string;
}

/** Parses `TABLE=FILE` as given to `--put-items`. */
export function parsePutItemsSpec(spec: string): PutItemsSpec {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--put-items expects TABLE=FILE, found "${spec}"`);
  return { table: spec.slice(0, eq), path: spec.slice(eq + 1) };
}

/** A JSON array of items, or one JSON item per line (NDJSON); every problem names the file and the item. */
export function parseItems(text: string, file: string): Record<string, unknown>[] {
  const trimmed = text.trim();
  let items: unknown[];
  if (trimmed.startsWith('[')) {
    try {
      items = JSON.parse(trimmed) as unknown[];
    } catch (error) {
      throw new UsageError(`${file}: not valid JSON: ${(error as Error).message}`);
    }
  } else {
    items = trimmed.split('\n').flatMap((line, index) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (error) {
        throw new UsageError(`${file}:${index + 1}: not valid JSON: ${(error as Error).message}`);
      }
    });
  }
  return items.map((item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new UsageError(`${file}: item ${index + 1}: expected an object of attributes`);
    return item as Record<string, unknown>;
  });
}

/** Every key attribute the table declares must be in each item, with the declared type. */
function checkKeys(items: readonly Record<string, unknown>[], table: string, declaration: TableResource, file: string): void {
  const keys = [declaration.partitionKey, ...(declaration.sortKey ? [declaration.sortKey] : [])];
  items.forEach((item, index) => {
    for (const key of keys) {
      const value = item[key.name];
      const expected = key.type === 'S' ? 'string' : key.type === 'N' ? 'number' : 'binary';
      const ok = key.type === 'S' ? typeof value === 'string' && value !== '' : key.type === 'N' ? typeof value === 'number' : value instanceof Uint8Array;
      if (!ok) throw new UsageError(`${file}: item ${index + 1}: key attribute "${key.name}" of table ${table}: expected a ${expected}, found ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
    }
  });
}

/**
 * Writes items to a table through the DynamoDB API (batched, unprocessed items retried), so the
 * writes reach the table's stream exactly as any other client's would.
 */
export async function putItems(client: DynamoDBClient, spec: PutItemsSpec, declaration: TableResource): Promise<number> {
  let text: string;
  try {
    text = await readFile(spec.path, 'utf8');
  } catch {
    throw new UsageError(`--put-items: no such file: ${spec.path}`);
  }
  const items = parseItems(text, spec.path);
  checkKeys(items, spec.table, declaration, spec.path);
  const { failed } = await writeRows(client, spec.table, items);
  if (failed.length) throw new UsageError(`--put-items: ${failed.length} item(s) of ${spec.path} could not be written to ${spec.table}: ${String((failed[0]!.error as Error)?.message ?? failed[0]!.error)}`);
  return items.length;
}
