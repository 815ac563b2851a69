import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { NumberValue, toNativeNumber } from '../../../events/dynamodb/attribute-values.ts';
import type { TableResource } from '../../engine/pipeline/resources.ts';

/** Sluice's own bookkeeping on an item (the exactly-once ledger of an aggregate): hidden unless asked for. */
export const isHiddenAttribute = (name: string) => name.startsWith('_sluice');

/** Every item of a table, read page by page, as plain values: numbers as steps receive them (a `NumberValue` when JS cannot hold one exactly). */
export async function scanItems(client: DynamoDBClient, table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ...(start ? { ExclusiveStartKey: start as never } : {}) }));
    for (const item of page.Items ?? []) items.push(unmarshall(item, { wrapNumbers: toNativeNumber }));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

// A line break or tab inside a value would break the table's rows and columns: shown escaped.
const escapeControls = (text: string) => text.replace(/[\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));

function cell(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return escapeControls(value);
  if (value instanceof Set) return JSON.stringify([...value]);
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (value instanceof NumberValue) return value.toString();
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** Items as rows of cells: key attributes first, then the others in order of appearance, sorted by key. */
export function itemRows(items: readonly Record<string, unknown>[], declaration?: TableResource, options: { all?: boolean; limit?: number } = {}): { columns: string[]; rows: string[][] } {
  const keys = declaration ? [declaration.partitionKey.name, ...(declaration.sortKey ? [declaration.sortKey.name] : [])] : [];
  const columns = [...new Set([...keys, ...items.flatMap((item) => Object.keys(item))])].filter((name) => options.all || !isHiddenAttribute(name));
  const sorted = [...items].sort((a, b) => keys.map((key) => cell(a[key]).localeCompare(cell(b[key]))).find((order) => order !== 0) ?? 0).slice(0, options.limit);
  return { columns, rows: sorted.map((item) => columns.map((column) => cell(item[column]))) };
}

/** Items as a text table: key attributes first, then the others in order of appearance, sorted by key. */
export function formatItems(items: readonly Record<string, unknown>[], declaration?: TableResource, options: { all?: boolean; limit?: number } = {}): string {
  const { columns, rows: cells } = itemRows(items, declaration, options);
  const rows = [columns, ...cells];
  const widths = columns.map((_, index) => Math.max(...rows.map((row) => row[index]!.length)));
  return rows.map((row) => row.map((value, index) => value.padEnd(widths[index]!)).join('  ').trimEnd()).join('\n');
}
