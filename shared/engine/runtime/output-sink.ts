import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { SluiceError } from '../../contract/errors.ts';
import type { GroupUpdateItem, Item, ItemOrigin, RowItem, SourceObject } from '../../contract/handler.ts';
import type { Pipeline } from '../pipeline/schema.ts';
import { isBucketOutput } from '../pipeline/schema.ts';
import { BucketWriter } from './bucket-output.ts';
import type { OutputRef } from './bucket-output.ts';
import { RowFileWriter } from './row-file.ts';
import { applyGroupUpdates, writeRows } from './table-output.ts';

/** Items that could not be written, by where they came from, so a stream batch can be retried from the first. */
export interface FailedOutput {
  origins: ItemOrigin[];
  error: unknown;
}

export interface SinkResult {
  outputs: OutputRef[];
  failed: FailedOutput[];
}

/** Where the last step's items go: written as they come (objects, rows in batches) or at the end (group updates, coalesced). */
export interface OutputSink {
  write(item: Item): Promise<void>;
  finish(): Promise<SinkResult>;
}

export interface SinkDeps {
  s3: S3Client;
  dynamodb?: DynamoDBClient;
}

// BatchWriteItem takes 25 items per call.
const ROW_BATCH = 25;

class TableSink implements OutputSink {
  private rows: RowItem[] = [];
  private readonly updates: GroupUpdateItem[] = [];
  private readonly result: SinkResult = { outputs: [], failed: [] };
  /** Items written so far. */
  private written = 0;
  private readonly client: DynamoDBClient;
  private readonly table: string;

  constructor(client: DynamoDBClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async write(item: Item): Promise<void> {
    if (item.kind === 'row') {
      this.rows.push(item);
      if (this.rows.length >= ROW_BATCH) await this.flushRows();
    } else if (item.kind === 'group-update') {
      this.updates.push(item);
    } else {
      throw new SluiceError('OUTPUT_KIND', `a table output cannot write ${item.kind} items`, { permanent: true });
    }
  }

  private async flushRows(): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    if (!rows.length) return;
    // An empty cell is null in a row (so CSV rows keep their columns); an item simply lacks it.
    const items = rows.map((item) => Object.fromEntries(Object.entries(item.row).filter(([, value]) => value !== null && value !== undefined)));
    const { failed } = await writeRows(this.client, this.table, items);
    for (const failure of failed) this.result.failed.push({ origins: [rows[failure.index]!.origin], error: failure.error });
    this.written += rows.length - new Set(failed.map((failure) => failure.index)).size;
  }

  async finish(): Promise<SinkResult> {
    await this.flushRows();
    if (this.updates.length) {
      const outcome = await applyGroupUpdates(this.client, this.table, this.updates);
      for (const failure of outcome.failed) this.result.failed.push({ origins: failure.update.contributions.map((contribution) => contribution.origin), error: failure.error });
      this.written += outcome.applied.length;
    }
    // One ref for the table, with the count: a file of a million rows is not a million refs.
    if (this.written) this.result.outputs.push({ table: this.table, items: this.written, size: 0 });
    return this.result;
  }
}

/** Objects as they come; rows into one file per source (CSV or NDJSON), streamed. */
class BucketSink implements OutputSink {
  private readonly writer: BucketWriter;
  private rows: RowFileWriter | undefined;
  private readonly openRows: () => RowFileWriter;

  constructor(writer: BucketWriter, openRows: () => RowFileWriter) {
    this.writer = writer;
    this.openRows = openRows;
  }

  async write(item: Item): Promise<void> {
    if (item.kind === 'object') return this.writer.write(item);
    if (item.kind === 'row') {
      this.rows ??= this.openRows();
      return this.rows.write(item.row);
    }
    throw new SluiceError('OUTPUT_KIND', `a bucket output cannot write ${item.kind} items`, { permanent: true });
  }

  async finish(): Promise<SinkResult> {
    const outputs = [...this.writer.outputs];
    if (this.rows) outputs.push(await this.rows.finish());
    return { outputs, failed: [] };
  }
}

export function createOutputSink(definition: Pipeline, deps: SinkDeps, source?: SourceObject): OutputSink {
  const { to } = definition;
  if (isBucketOutput(to)) {
    const target = { s3: deps.s3, pipeline: definition.name, to, source };
    return new BucketSink(new BucketWriter(target), () => new RowFileWriter(target));
  }
  if (!deps.dynamodb) throw new SluiceError('NO_DYNAMODB', `pipeline ${definition.name} writes to table ${to.table}, but no DynamoDB client is configured`, { permanent: true });
  return new TableSink(deps.dynamodb, to.table);
}
