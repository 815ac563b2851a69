import { setTimeout as sleep } from 'node:timers/promises';
import type { AttributeValue, DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { BatchWriteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import PQueue from 'p-queue';
import { SluiceError } from '../../contract/errors.ts';
import { marshallItem } from './exact-values.ts';
import { MAX_ITEM_BYTES, itemSize } from './item-size.ts';
import { isTransient } from './retry.ts';
import { keyIdentity, keyOf, tableKeyNames } from './table-key.ts';
import type { KeyNames } from './table-key.ts';

/**
 * Rows written to a table as items: BatchWriteItem, 25 at a time, the items DynamoDB leaves
 * unprocessed (throttling) retried with exponential backoff and full jitter. Every row is
 * accounted for: written, or failed with its own error.
 */

/** BatchWriteItem's limit per call. */
export const BATCH_WRITE_LIMIT = 25;

export interface WriteRowsOptions {
  /** The table's key attribute names, partition key first. Default: asked once with DescribeTable. */
  key?: KeyNames;
  /** Calls per chunk while items come back unprocessed. Default 8. */
  maxAttempts?: number;
  /** First backoff; doubles per attempt up to `maxDelayMs`, each wait a random part of it. Default 50. */
  baseDelayMs?: number;
  /** Default 2000. */
  maxDelayMs?: number;
  /** Chunks in flight at once. Default 4. */
  concurrency?: number;
}

export interface RowWriteFailure {
  /** The row's index in the list given. */
  index: number;
  error: unknown;
}

export interface WriteRowsResult {
  written: number;
  failed: RowWriteFailure[];
}

interface PreparedRow {
  index: number;
  item: Record<string, AttributeValue>;
  identity: string;
}

interface WriteContext {
  client: DynamoDBClient;
  table: string;
  names: KeyNames;
  options: Required<Omit<WriteRowsOptions, 'key'>>;
  failed: RowWriteFailure[];
}

/** Each row as an item, or its failure: a row DynamoDB would refuse would fail its whole chunk. */
function prepare(rows: readonly Record<string, unknown>[], ctx: WriteContext): PreparedRow[] {
  const prepared: PreparedRow[] = [];
  rows.forEach((row, index) => {
    try {
      const item = marshallItem(row);
      const identity = keyIdentity(keyOf(item, ctx.names, ctx.table), ctx.names);
      const bytes = itemSize(item);
      if (bytes > MAX_ITEM_BYTES) throw new SluiceError('ITEM_TOO_LARGE', `row ${index} would be an item of ${Math.ceil(bytes / 1024)} KB, over DynamoDB's 400 KB limit`, { permanent: true });
      prepared.push({ index, item, identity });
    } catch (error) {
      ctx.failed.push({ index, error });
    }
  });
  return prepared;
}

/**
 * Runs of rows with distinct keys, each cut into chunks. BatchWriteItem refuses a call with one key
 * twice, and chunks in flight together land in any order, so a repeated key starts a new run:
 * the later row is written after the earlier one, and wins, as it would written one by one.
 */
function segment(prepared: readonly PreparedRow[]): PreparedRow[][][] {
  const runs: PreparedRow[][] = [];
  let run: PreparedRow[] = [];
  let keys = new Set<string>();
  for (const row of prepared) {
    if (keys.has(row.identity)) {
      runs.push(run);
      run = [];
      keys = new Set();
    }
    keys.add(row.identity);
    run.push(row);
  }
  if (run.length) runs.push(run);
  return runs.map((rows) => {
    const chunks: PreparedRow[][] = [];
    for (let start = 0; start < rows.length; start += BATCH_WRITE_LIMIT) chunks.push(rows.slice(start, start + BATCH_WRITE_LIMIT));
    return chunks;
  });
}

/** After a refusal of the whole call (a bad item), each row on its own: only the bad ones fail. */
async function putOneByOne(rows: readonly PreparedRow[], ctx: WriteContext): Promise<number> {
  let written = 0;
  for (const row of rows) {
    try {
      await ctx.client.send(new PutItemCommand({ TableName: ctx.table, Item: row.item }));
      written++;
    } catch (error) {
      ctx.failed.push({ index: row.index, error });
    }
  }
  return written;
}

async function writeChunk(chunk: readonly PreparedRow[], ctx: WriteContext): Promise<number> {
  const { maxAttempts, baseDelayMs, maxDelayMs } = ctx.options;
  let pending = chunk;
  for (let attempt = 1; ; attempt++) {
    let unprocessed: WriteRequest[];
    try {
      const answer = await ctx.client.send(
        new BatchWriteItemCommand({ RequestItems: { [ctx.table]: pending.map((row) => ({ PutRequest: { Item: row.item } })) } }),
      );
      unprocessed = answer.UnprocessedItems?.[ctx.table] ?? [];
    } catch (error) {
      if (!isTransient(error)) return chunk.length - pending.length + (await putOneByOne(pending, ctx));
      for (const row of pending) ctx.failed.push({ index: row.index, error });
      return chunk.length - pending.length;
    }
    const left = new Set(unprocessed.map((request) => keyIdentity(request.PutRequest?.Item ?? {}, ctx.names)));
    pending = pending.filter((row) => left.has(row.identity));
    if (!pending.length) return chunk.length;
    if (attempt >= maxAttempts) {
      const error = new SluiceError('ROWS_UNPROCESSED', `DynamoDB left the item unprocessed ${maxAttempts} times in a row (throttled); table ${ctx.table}`);
      for (const row of pending) ctx.failed.push({ index: row.index, error });
      return chunk.length - pending.length;
    }
    await sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
  }
}

/** Writes `rows` as items of `table`, numbers exact; returns how many were written and each failure by row index. */
export async function writeRows(client: DynamoDBClient, table: string, rows: readonly Record<string, unknown>[], options: WriteRowsOptions = {}): Promise<WriteRowsResult> {
  const failed: RowWriteFailure[] = [];
  if (!rows.length) return { written: 0, failed };
  let names: KeyNames;
  try {
    names = options.key ?? (await tableKeyNames(client, table));
  } catch (error) {
    return { written: 0, failed: rows.map((_, index) => ({ index, error })) };
  }
  const ctx: WriteContext = {
    client,
    table,
    names,
    options: { maxAttempts: options.maxAttempts ?? 8, baseDelayMs: options.baseDelayMs ?? 50, maxDelayMs: options.maxDelayMs ?? 2000, concurrency: options.concurrency ?? 4 },
    failed,
  };
  let written = 0;
  const pool = new PQueue({ concurrency: ctx.options.concurrency });
  for (const chunks of segment(prepare(rows, ctx))) {
    const counts = await Promise.all(chunks.map((chunk) => pool.add(() => writeChunk(chunk, ctx))));
    written += counts.reduce<number>((sum, count) => sum + (count ?? 0), 0);
  }
  failed.sort((a, b) => a.index - b.index);
  return { written, failed };
}
