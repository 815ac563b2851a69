import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, describe, expect, it } from 'vitest';
import { createDynalite } from '../../../shared/workbench/embedded-dynamodb/dynalite-store.ts';
import { startEmbeddedDynamoDB } from '../../../shared/workbench/embedded-dynamodb/server.ts';
import { TABLE_LOG, TableStore } from '../../../shared/workbench/embedded-dynamodb/table-store.ts';
import type { LevelDatabase, TableStoreOptions } from '../../../shared/workbench/embedded-dynamodb/table-store.ts';

const temporaryDirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-table-store-'));
  temporaryDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

const TABLES = { things: { partitionKey: { name: 'id', type: 'S' as const }, sortKey: { name: 'n', type: 'N' as const } } };

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** dynalite on a table store in `directory`, as the embedded server runs it, with a client; `db` is its database. */
async function openStore(directory: string, options: TableStoreOptions = {}) {
  const store = await TableStore.open(directory, options);
  const { server, db } = createDynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await store.attach(db);
  const client = new DynamoDBClient({ endpoint: await listen(server), region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  return {
    store,
    db: db as LevelDatabase & Record<string, unknown>,
    client,
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

async function createThings(client: DynamoDBClient): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: 'things',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'n', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'id', KeyType: 'HASH' },
        { AttributeName: 'n', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  // dynalite answers CreateTable with the table still CREATING, and makes it ACTIVE just after.
  while ((await client.send(new DescribeTableCommand({ TableName: 'things' }))).Table?.TableStatus !== 'ACTIVE') await new Promise(setImmediate);
}

describe('the table store under dynalite', () => {
  it('closes the read of every Scan and Query page, the pages cut short by Limit or size included', async () => {
    const opened = await openStore(newDir());
    try {
      await createThings(opened.client);
      for (let n = 0; n < 30; n++) await opened.client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'a' }, n: { N: String(n) }, text: { S: 'x'.repeat(50_000) } } }));
      // Count the reads opened on the database, and those closed.
      let open = 0;
      for (const name of ['values', 'keys'] as const) {
        const original = opened.db[name] as (options?: object) => { close(): Promise<void> };
        opened.db[name] = (options?: object) => {
          const iterator = original.call(opened.db, options);
          open++;
          const close = iterator.close.bind(iterator);
          iterator.close = () => {
            open--;
            return close();
          };
          return iterator;
        };
      }
      let pages = 0;
      for (const limit of [3, undefined]) {
        let start: Record<string, never> | undefined;
        do {
          const page = await opened.client.send(new ScanCommand({ TableName: 'things', ...(limit ? { Limit: limit } : {}), ...(start ? { ExclusiveStartKey: start } : {}) }));
          start = page.LastEvaluatedKey as typeof start;
          pages++;
        } while (start);
      }
      const queried = await opened.client.send(new QueryCommand({ TableName: 'things', KeyConditionExpression: 'id = :a', ExpressionAttributeValues: { ':a': { S: 'a' } }, Limit: 4 }));
      expect(queried.LastEvaluatedKey).toBeDefined();
      // Pages of 3 items, then pages of 1 MB (about 20 items of 50 KB): each but the last cut short.
      expect(pages).toBeGreaterThan(11);
      await new Promise(setImmediate);
      expect(open).toBe(0);
    } finally {
      await opened.close();
    }
  });

  it('keeps every acknowledged write across a restart, deletes and overwrites included, and rewrites a log that is mostly overwritten', async () => {
    const directory = newDir();
    const first = await openStore(directory, { rewriteMinBytes: 200_000 });
    await createThings(first.client);
    for (let round = 0; round < 40; round++) {
      for (let n = 0; n < 5; n++) await first.client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'a' }, n: { N: String(n) }, round: { N: String(round) }, text: { S: 'y'.repeat(5_000) } } }));
    }
    await first.client.send(new UpdateItemCommand({ TableName: 'things', Key: { id: { S: 'a' }, n: { N: '0' } }, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    await first.client.send(new DeleteItemCommand({ TableName: 'things', Key: { id: { S: 'a' }, n: { N: '4' } } }));
    await first.close();
    // 200 writes of about 5 KB, rewritten down to what the 4 items hold.
    expect(statSync(join(directory, TABLE_LOG)).size).toBeLessThan(200_000);

    const second = await openStore(directory);
    try {
      const items = (await second.client.send(new ScanCommand({ TableName: 'things' }))).Items!;
      expect(items.map((item) => [item.n!.N, item.round!.N, item.hits?.N])).toEqual([
        ['0', '39', '1'],
        ['1', '39', undefined],
        ['2', '39', undefined],
        ['3', '39', undefined],
      ]);
    } finally {
      await second.close();
    }
  });

  it('cuts off a last line that a killed process left half written, and keeps the rest', async () => {
    const directory = newDir();
    const first = await openStore(directory);
    await createThings(first.client);
    await first.client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'kept' }, n: { N: '1' } } }));
    await first.close();
    appendFileSync(join(directory, TABLE_LOG), '[["item-things~half');

    const second = await openStore(directory);
    try {
      expect((await second.client.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'kept' }, n: { N: '1' } } }))).Item).toEqual({ id: { S: 'kept' }, n: { N: '1' } });
      await second.client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'after' }, n: { N: '1' } } }));
    } finally {
      await second.close();
    }
    const third = await openStore(directory);
    try {
      expect((await third.client.send(new ScanCommand({ TableName: 'things' }))).Count).toBe(2);
    } finally {
      await third.close();
    }
  });

  it('takes over the tables an earlier Sluice kept in LevelDB, and leaves no LevelDB file behind', async () => {
    const dataDir = newDir();
    const directory = join(dataDir, 'dynamodb');
    // How the tables were kept before: dynalite on LevelDB in <data>/dynamodb.
    const old = dynalite({ path: directory, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const client = new DynamoDBClient({ endpoint: await listen(old), region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await createThings(client);
    for (let n = 0; n < 3; n++) await client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'old' }, n: { N: String(n) }, v: { N: '1' } } }));
    await client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'old' }, n: { N: '0' }, v: { N: '2' } } }));
    await client.send(new DeleteItemCommand({ TableName: 'things', Key: { id: { S: 'old' }, n: { N: '2' } } }));
    client.destroy();
    await new Promise<void>((resolve) => old.close(() => resolve()));
    expect(existsSync(join(directory, 'CURRENT'))).toBe(true);

    const db = await startEmbeddedDynamoDB({ dataDir, tables: TABLES });
    try {
      const items = (await db.client.send(new ScanCommand({ TableName: 'things' }))).Items!;
      expect(items).toEqual([
        { id: { S: 'old' }, n: { N: '0' }, v: { N: '2' } },
        { id: { S: 'old' }, n: { N: '1' }, v: { N: '1' } },
      ]);
      expect(readdirSync(directory).sort()).toEqual(['sluice-owner.pid', TABLE_LOG]);
    } finally {
      await db.close();
    }
  });
});
