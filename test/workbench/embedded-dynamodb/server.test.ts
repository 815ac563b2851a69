import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_VIEW_TYPES } from '../../../shared/contract/table-change.ts';
import type { StreamViewType } from '../../../shared/contract/table-change.ts';
import { SluiceError } from '../../../shared/contract/errors.ts';
import { startEmbeddedDynamoDB } from '../../../shared/workbench/embedded-dynamodb/server.ts';
import type { DeliveredStreamRecord, EmbeddedDynamoDB, TableDeclaration } from '../../../shared/workbench/embedded-dynamodb/server.ts';

const tableOf = (viewType: StreamViewType) => viewType.toLowerCase().replaceAll('_', '-');
const keyed = (stream?: StreamViewType): TableDeclaration => ({ partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'S' }, ...(stream ? { stream } : {}) });
const TABLES: Record<string, TableDeclaration> = {
  ...Object.fromEntries(STREAM_VIEW_TYPES.map((viewType) => [tableOf(viewType), keyed(viewType)])),
  numbers: { partitionKey: { name: 'n', type: 'N' }, stream: 'NEW_AND_OLD_IMAGES' },
  plain: keyed(),
};

const temporaryDirs: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-dynamodb-'));
  temporaryDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

let db: EmbeddedDynamoDB;
beforeAll(async () => {
  db = await startEmbeddedDynamoDB({ dataDir: newDataDir(), tables: TABLES });
});
afterAll(() => db?.close());

/** Runs `write` and returns the records it appended to `table`'s stream. */
async function recordsOf(table: string, write: () => Promise<unknown>): Promise<DeliveredStreamRecord[]> {
  const stream = db.streams.get(table)!;
  const before = stream.latestSequenceNumber();
  await write();
  return stream.read(before, 1000);
}

function expected(table: string, eventName: DeliveredStreamRecord['eventName'], dynamodb: Partial<DeliveredStreamRecord['dynamodb']>): DeliveredStreamRecord {
  const stream = db.streams.get(table)!;
  return {
    eventID: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown as string,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: expect.any(Number) as unknown as number,
      Keys: {},
      ...dynamodb,
      SequenceNumber: expect.stringMatching(/^\d{21,}$/) as unknown as string,
      SizeBytes: expect.any(Number) as unknown as number,
      StreamViewType: stream.viewType,
      ...(dynamodb.SizeBytes !== undefined ? { SizeBytes: dynamodb.SizeBytes } : {}),
    },
    eventSourceARN: stream.streamArn,
  };
}

describe('the embedded DynamoDB change stream', () => {
  const keys = { pk: { S: 'a' }, sk: { S: 'b' } };
  const first = { ...keys, data: { S: 'test' } };
  const second = { ...keys, data: { S: 'hello' } };
  // Keys, images and SizeBytes as DynamoDB Streams gave them for these writes, per view type.
  const cases: Record<StreamViewType, [Partial<DeliveredStreamRecord['dynamodb']>, Partial<DeliveredStreamRecord['dynamodb']>, Partial<DeliveredStreamRecord['dynamodb']>]> = {
    KEYS_ONLY: [{ Keys: keys, SizeBytes: 6 }, { Keys: keys, SizeBytes: 6 }, { Keys: keys, SizeBytes: 6 }],
    NEW_IMAGE: [{ Keys: keys, NewImage: first, SizeBytes: 20 }, { Keys: keys, NewImage: second, SizeBytes: 21 }, { Keys: keys, SizeBytes: 6 }],
    OLD_IMAGE: [{ Keys: keys, SizeBytes: 6 }, { Keys: keys, OldImage: first, SizeBytes: 20 }, { Keys: keys, OldImage: second, SizeBytes: 21 }],
    NEW_AND_OLD_IMAGES: [
      { Keys: keys, NewImage: first, SizeBytes: 20 },
      { Keys: keys, NewImage: second, OldImage: first, SizeBytes: 35 },
      { Keys: keys, OldImage: second, SizeBytes: 21 },
    ],
  };

  for (const viewType of STREAM_VIEW_TYPES) {
    it(`records PutItem, UpdateItem and DeleteItem as INSERT, MODIFY and REMOVE (${viewType})`, async () => {
      const table = tableOf(viewType);
      const startedAt = Math.floor(Date.now() / 1000);
      const insert = await recordsOf(table, () => db.client.send(new PutItemCommand({ TableName: table, Item: first })));
      const modify = await recordsOf(table, () =>
        db.client.send(new UpdateItemCommand({ TableName: table, Key: keys, UpdateExpression: 'SET #d = :d', ExpressionAttributeNames: { '#d': 'data' }, ExpressionAttributeValues: { ':d': { S: 'hello' } } })),
      );
      const remove = await recordsOf(table, () => db.client.send(new DeleteItemCommand({ TableName: table, Key: keys })));
      const [onInsert, onModify, onRemove] = cases[viewType];
      expect(insert).toStrictEqual([expected(table, 'INSERT', onInsert)]);
      expect(modify).toStrictEqual([expected(table, 'MODIFY', onModify)]);
      expect(remove).toStrictEqual([expected(table, 'REMOVE', onRemove)]);
      for (const record of [...insert, ...modify, ...remove]) {
        expect(record.dynamodb.ApproximateCreationDateTime).toBeGreaterThanOrEqual(startedAt);
        expect(record.dynamodb.ApproximateCreationDateTime).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
      }
    });
  }

  it('records each item of a BatchWriteItem, across tables, and nothing for a table without a stream', async () => {
    const table = 'new-and-old-images';
    await db.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'batch' }, sk: { S: '2' }, v: { N: '1' } } }));
    const other = db.streams.get('keys-only')!;
    const otherBefore = other.latestSequenceNumber();
    const records = await recordsOf(table, () =>
      db.client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [table]: [
              { PutRequest: { Item: { pk: { S: 'batch' }, sk: { S: '1' }, v: { N: '1' } } } },
              { DeleteRequest: { Key: { pk: { S: 'batch' }, sk: { S: '2' } } } },
              { DeleteRequest: { Key: { pk: { S: 'batch' }, sk: { S: 'missing' } } } },
            ],
            'keys-only': [{ PutRequest: { Item: { pk: { S: 'batch' }, sk: { S: '1' } } } }],
            plain: [{ PutRequest: { Item: { pk: { S: 'batch' }, sk: { S: '1' } } } }],
          },
        }),
      ),
    );
    expect(records).toStrictEqual([
      expected(table, 'INSERT', { Keys: { pk: { S: 'batch' }, sk: { S: '1' } }, NewImage: { pk: { S: 'batch' }, sk: { S: '1' }, v: { N: '1' } } }),
      expected(table, 'REMOVE', { Keys: { pk: { S: 'batch' }, sk: { S: '2' } }, OldImage: { pk: { S: 'batch' }, sk: { S: '2' }, v: { N: '1' } } }),
    ]);
    expect(other.read(otherBefore, 10)).toStrictEqual([expected('keys-only', 'INSERT', { Keys: { pk: { S: 'batch' }, sk: { S: '1' } }, SizeBytes: 10 })]);
    expect(db.streams.has('plain')).toBe(false);
    expect((await db.client.send(new GetItemCommand({ TableName: 'plain', Key: { pk: { S: 'batch' }, sk: { S: '1' } } }))).Item).toBeDefined();
  });

  it('records a TransactWriteItems that goes through, and nothing of one that is cancelled', async () => {
    const table = 'new-and-old-images';
    const item = { pk: { S: 'tx' }, sk: { S: '1' }, n: { N: '1' } };
    const committed = await recordsOf(table, () =>
      db.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: table, Item: item } }, { Put: { TableName: 'plain', Item: { pk: { S: 'tx' }, sk: { S: '1' } } } }],
        }),
      ),
    );
    expect(committed).toStrictEqual([expected(table, 'INSERT', { Keys: { pk: { S: 'tx' }, sk: { S: '1' } }, NewImage: item })]);
    const cancelled = recordsOf(table, () =>
      db.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Update: { TableName: table, Key: { pk: { S: 'tx' }, sk: { S: '1' } }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
            { Delete: { TableName: table, Key: { pk: { S: 'tx' }, sk: { S: '2' } } } },
            { ConditionCheck: { TableName: 'plain', Key: { pk: { S: 'tx' }, sk: { S: '1' } }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
          ],
        }),
      ),
    );
    await expect(cancelled).rejects.toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'tx' }, sk: { S: '1' } } }],
    });
    expect(db.streams.get(table)!.read(committed[0]!.dynamodb.SequenceNumber, 10)).toEqual([]);
    expect((await db.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'tx' }, sk: { S: '1' } } }))).Item).toEqual(item);
    await expect(
      db.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: item } }, { Delete: { TableName: table, Key: { pk: { S: 'tx' }, sk: { S: '1' } } } }] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('records nothing for a write that changes nothing', async () => {
    const table = 'numbers';
    const item: Record<string, AttributeValue> = { n: { N: '1' }, price: { N: '1.50' }, tags: { SS: ['b', 'a'] }, nested: { M: { x: { NS: ['2', '1'] } } } };
    const inserted = await recordsOf(table, () => db.client.send(new PutItemCommand({ TableName: table, Item: item })));
    expect(inserted).toHaveLength(1);
    const noOps: [string, () => Promise<unknown>][] = [
      ['the same item put again', () => db.client.send(new PutItemCommand({ TableName: table, Item: item }))],
      ['the same item written differently', () => db.client.send(new PutItemCommand({ TableName: table, Item: { n: { N: '1.0' }, price: { N: '1.5' }, tags: { SS: ['a', 'b'] }, nested: { M: { x: { NS: ['1', '2'] } } } } }))],
      ['an update to the values it has', () => db.client.send(new UpdateItemCommand({ TableName: table, Key: { n: { N: '1' } }, UpdateExpression: 'SET price = :p', ExpressionAttributeValues: { ':p': { N: '1.5' } } }))],
      ['a delete of a missing item', () => db.client.send(new DeleteItemCommand({ TableName: table, Key: { n: { N: '2' } } }))],
      ['a failed condition', () => db.client.send(new PutItemCommand({ TableName: table, Item: { n: { N: '1' } }, ConditionExpression: 'attribute_not_exists(n)' })).catch((error: Error) => expect(error.name).toBe('ConditionalCheckFailedException'))],
      ['a refused batch', () => db.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: [{ PutRequest: { Item: { n: { N: '3' } } } }, { DeleteRequest: { Key: { n: { N: '3.0' } } } }] } })).catch((error: Error) => expect(error.name).toBe('ValidationException'))],
      ['a put with a malformed key', () => db.client.send(new PutItemCommand({ TableName: table, Item: { n: { S: '1' } } })).catch((error: Error) => expect(error.name).toBe('ValidationException'))],
    ];
    for (const [what, write] of noOps) expect(await recordsOf(table, write), what).toEqual([]);
  });

  it('gives every record a unique eventID and a strictly higher sequence number (as BigInt)', async () => {
    const table = 'numbers';
    await Promise.all(Array.from({ length: 30 }, (_, index) => db.client.send(new PutItemCommand({ TableName: table, Item: { n: { N: String(100 + (index % 7)) }, i: { N: String(index) } } }))));
    const records = db.streams.get(table)!.read(undefined, 1000);
    expect(records.length).toBeGreaterThan(30);
    const sequences = records.map((record) => BigInt(record.dynamodb.SequenceNumber));
    for (let index = 1; index < sequences.length; index++) expect(sequences[index]! > sequences[index - 1]!).toBe(true);
    expect(new Set(records.map((record) => record.eventID)).size).toBe(records.length);
    // Writes of one item, however concurrent, chain: each record's old image is the previous one's new image.
    for (const n of ['100', '101']) {
      const chain = records.filter((record) => record.dynamodb.Keys.n!.N === n);
      chain.slice(1).forEach((record, index) => expect(record.dynamodb.OldImage).toEqual(chain[index]!.dynamodb.NewImage));
    }
  });

  it('describes tables with their stream, and passes other answers through untouched', async () => {
    const { Table } = await db.client.send(new DescribeTableCommand({ TableName: 'new-image' }));
    const stream = db.streams.get('new-image')!;
    expect(Table).toMatchObject({ TableName: 'new-image', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' }, LatestStreamArn: stream.streamArn, LatestStreamLabel: stream.streamLabel });
    expect(Table?.TableArn).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/new-image');
    expect((await db.client.send(new DescribeTableCommand({ TableName: 'plain' }))).Table?.StreamSpecification).toBeUndefined();
    await expect(db.client.send(new PutItemCommand({ TableName: 'nowhere', Item: { id: { S: 'x' } } }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    const created = await db.client.send(
      new CreateTableCommand({ TableName: 'made-by-a-client', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }),
    );
    expect(created.TableDescription?.TableName).toBe('made-by-a-client');
  });

  it('listens on 127.0.0.1 only', () => {
    expect(db.endpoint).toBe(`http://127.0.0.1:${db.port}`);
    if (process.platform !== 'linux') return;
    // Every listening TCP socket of this process (the endpoint and dynalite behind it) is bound to 127.0.0.1.
    const inodes = new Set(
      readdirSync('/proc/self/fd')
        .map((fd) => {
          try {
            return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
          } catch {
            return undefined;
          }
        })
        .filter(Boolean),
    );
    const listening = ['tcp', 'tcp6'].flatMap((file) =>
      readFileSync(`/proc/self/net/${file}`, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter((fields) => fields[3] === '0A' && inodes.has(fields[9]))
        .map((fields) => fields[1]!),
    );
    expect(listening.length).toBeGreaterThanOrEqual(2);
    expect(listening).toContain(`0100007F:${db.port.toString(16).toUpperCase().padStart(4, '0')}`);
    for (const address of listening) expect(address.split(':')[0]).toBe('0100007F');
  });
});

describe('the embedded DynamoDB across restarts', () => {
  const declaration = { orders: { partitionKey: { name: 'id', type: 'S' as const }, sortKey: { name: 'at', type: 'N' as const }, stream: 'NEW_AND_OLD_IMAGES' as const } };

  it('keeps the tables, the items and the stream, and continues its sequence numbers', async () => {
    const dataDir = newDataDir();
    const first = await startEmbeddedDynamoDB({ dataDir, tables: declaration });
    await first.client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'o1' }, at: { N: '1' } } }));
    const stream = first.streams.get('orders')!;
    const records = stream.read(undefined, 10);
    await first.close();

    const second = await startEmbeddedDynamoDB({ dataDir, tables: declaration });
    try {
      const again = second.streams.get('orders')!;
      expect({ arn: again.streamArn, label: again.streamLabel, shard: again.shardId }).toEqual({ arn: stream.streamArn, label: stream.streamLabel, shard: stream.shardId });
      expect(again.read(undefined, 10)).toEqual(records);
      expect((await second.client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'o1' }, at: { N: '1' } } }))).Item).toEqual({ id: { S: 'o1' }, at: { N: '1' } });
      await second.client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'o2' }, at: { N: '1' } } }));
      const latest = again.read(records[0]!.dynamodb.SequenceNumber, 10);
      expect(latest).toHaveLength(1);
      expect(BigInt(latest[0]!.dynamodb.SequenceNumber) > BigInt(records[0]!.dynamodb.SequenceNumber)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('settles at start a write that a crash left between its intent and its records', async () => {
    const dataDir = newDataDir();
    const first = await startEmbeddedDynamoDB({ dataDir, tables: declaration });
    await first.client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'o1' }, at: { N: '1' }, v: { S: 'before' } } }));
    await first.client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'o2' }, at: { N: '1' } } }));
    const before = first.streams.get('orders')!.latestSequenceNumber()!;
    await first.close();
    // What a process killed mid-write leaves: an intent line, no commit, the item already changed (o1)
    // or the write never made (o2).
    const { StreamLog } = await import('../../../shared/workbench/embedded-dynamodb/stream-log.ts');
    const log = new StreamLog({ directory: join(dataDir, 'streams'), table: 'orders', keySchema: [{ name: 'id', type: 'S' }, { name: 'at', type: 'N' }], viewType: 'NEW_AND_OLD_IMAGES', region: 'us-east-1', newTable: false });
    const intentAt = Date.now() - 5000;
    log.recordIntent([{ id: { S: 'o1' }, at: { N: '1' } }], [{ id: { S: 'o1' }, at: { N: '1' }, v: { S: 'older' } }]);
    log.recordIntent([{ id: { S: 'o2' }, at: { N: '1' } }], [{ id: { S: 'o2' }, at: { N: '1' } }]);
    log.close();

    const second = await startEmbeddedDynamoDB({ dataDir, tables: declaration });
    try {
      const recovered = second.streams.get('orders')!.read(before, 10);
      expect(recovered).toHaveLength(1);
      expect(recovered[0]).toMatchObject({
        eventName: 'MODIFY',
        dynamodb: { Keys: { id: { S: 'o1' }, at: { N: '1' } }, OldImage: { v: { S: 'older' } }, NewImage: { v: { S: 'before' } } },
      });
      expect(recovered[0]!.dynamodb.ApproximateCreationDateTime).toBeGreaterThanOrEqual(Math.floor(intentAt / 1000));
    } finally {
      await second.close();
    }
    const third = await startEmbeddedDynamoDB({ dataDir, tables: declaration });
    expect(third.streams.get('orders')!.read(before, 10)).toHaveLength(1);
    await third.close();
  });

  it('refuses a kept table whose key differs from the declaration, naming both', async () => {
    const dataDir = newDataDir();
    await (await startEmbeddedDynamoDB({ dataDir, tables: declaration })).close();
    const changed = { orders: { partitionKey: { name: 'id', type: 'N' as const }, stream: 'NEW_AND_OLD_IMAGES' as const } };
    const failure = await startEmbeddedDynamoDB({ dataDir, tables: changed }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SluiceError);
    expect(failure).toMatchObject({ code: 'TABLE_KEY_MISMATCH' });
    expect((failure as Error).message).toContain('table "orders" is declared with partition key id (N), no sort key, but the table kept in');
    expect((failure as Error).message).toContain('has partition key id (S), sort key at (N)');
    // The failed start let go of the store: the right declaration starts.
    await (await startEmbeddedDynamoDB({ dataDir, tables: declaration })).close();
  });

  it('names ARNs after the region given, and refuses a port in use', async () => {
    const other = await startEmbeddedDynamoDB({ dataDir: newDataDir(), tables: declaration, region: 'eu-west-1' });
    try {
      expect(other.region).toBe('eu-west-1');
      expect(other.streams.get('orders')!.streamArn).toMatch(/^arn:aws:dynamodb:eu-west-1:000000000000:table\/orders\/stream\//);
      const { Table } = await other.client.send(new DescribeTableCommand({ TableName: 'orders' }));
      expect(Table?.TableArn).toBe('arn:aws:dynamodb:eu-west-1:000000000000:table/orders');
      const dataDir = newDataDir();
      await expect(startEmbeddedDynamoDB({ dataDir, tables: declaration, port: other.port })).rejects.toMatchObject({ code: 'PORT_IN_USE' });
      // Nothing of the failed start is left holding the store.
      await (await startEmbeddedDynamoDB({ dataDir, tables: declaration })).close();
    } finally {
      await other.close();
    }
  });

  it('refuses to open a table store that is already open', async () => {
    const dataDir = newDataDir();
    const open = await startEmbeddedDynamoDB({ dataDir, tables: {} });
    try {
      await expect(startEmbeddedDynamoDB({ dataDir, tables: {} })).rejects.toMatchObject({ code: 'TABLE_STORE_IN_USE' });
    } finally {
      await open.close();
    }
  });
});
