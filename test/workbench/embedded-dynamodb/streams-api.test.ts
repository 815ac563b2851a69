import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import type { ShardIteratorType } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDynamoDB } from '../../../shared/workbench/embedded-dynamodb/server.ts';
import type { EmbeddedDynamoDB, TableStream } from '../../../shared/workbench/embedded-dynamodb/server.ts';
import { encodeShardIterator } from '../../../shared/workbench/embedded-dynamodb/shard-iterator.ts';

let dataDir: string;
let db: EmbeddedDynamoDB;
let client: DynamoDBStreamsClient;
let orders: TableStream;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sluice-streams-api-'));
  db = await startEmbeddedDynamoDB({
    dataDir,
    tables: {
      orders: { partitionKey: { name: 'id', type: 'S' }, sortKey: { name: 'at', type: 'N' }, stream: 'NEW_AND_OLD_IMAGES' },
      audit: { partitionKey: { name: 'id', type: 'S' }, stream: 'KEYS_ONLY' },
      plain: { partitionKey: { name: 'id', type: 'S' } },
    },
  });
  client = new DynamoDBStreamsClient({ endpoint: db.endpoint, region: db.region, credentials: db.credentials });
  orders = db.streams.get('orders')!;
  for (let index = 0; index < 5; index++) await db.client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: `o${index}` }, at: { N: String(index) } } }));
  await db.client.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: { S: 'o0' }, at: { N: '0' } } }));
});

afterAll(async () => {
  client?.destroy();
  await db?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const iterator = async (type: ShardIteratorType, sequenceNumber?: string) =>
  (await client.send(new GetShardIteratorCommand({ StreamArn: orders.streamArn, ShardId: orders.shardId, ShardIteratorType: type, ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}) }))).ShardIterator!;

describe('the DynamoDB Streams API on the embedded endpoint', () => {
  it('lists the streams, all or of one table', async () => {
    const all = await client.send(new ListStreamsCommand({}));
    expect(all.Streams).toEqual([
      { StreamArn: db.streams.get('audit')!.streamArn, TableName: 'audit', StreamLabel: db.streams.get('audit')!.streamLabel },
      { StreamArn: orders.streamArn, TableName: 'orders', StreamLabel: orders.streamLabel },
    ]);
    expect(all.LastEvaluatedStreamArn).toBeUndefined();
    expect((await client.send(new ListStreamsCommand({ TableName: 'orders' }))).Streams?.map((stream) => stream.TableName)).toEqual(['orders']);
    expect((await client.send(new ListStreamsCommand({ TableName: 'plain' }))).Streams).toEqual([]);
    const page = await client.send(new ListStreamsCommand({ Limit: 1 }));
    expect(page.Streams).toHaveLength(1);
    const rest = await client.send(new ListStreamsCommand({ Limit: 1, ExclusiveStartStreamArn: page.LastEvaluatedStreamArn }));
    expect(rest.Streams?.[0]?.TableName).toBe('orders');
  });

  it('describes a stream: one open shard, its key schema and view type', async () => {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: orders.streamArn }));
    expect(StreamDescription).toEqual({
      StreamArn: orders.streamArn,
      StreamLabel: orders.streamLabel,
      StreamStatus: 'ENABLED',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      CreationRequestDateTime: expect.any(Date),
      TableName: 'orders',
      KeySchema: [
        { AttributeName: 'id', KeyType: 'HASH' },
        { AttributeName: 'at', KeyType: 'RANGE' },
      ],
      Shards: [{ ShardId: orders.shardId, SequenceNumberRange: { StartingSequenceNumber: expect.stringMatching(/^\d{21,}$/) } }],
    });
    const start = BigInt(StreamDescription!.Shards![0]!.SequenceNumberRange!.StartingSequenceNumber!);
    expect(start <= BigInt(orders.read(undefined, 1)[0]!.dynamodb.SequenceNumber)).toBe(true);
  });

  it('reads the records page by page from TRIM_HORIZON, as Lambda gets them but without eventSourceARN', async () => {
    const expected = orders.read(undefined, 100).map(({ eventSourceARN: _arn, ...record }) => ({
      ...record,
      dynamodb: { ...record.dynamodb, ApproximateCreationDateTime: new Date(record.dynamodb.ApproximateCreationDateTime * 1000) },
    }));
    expect(expected).toHaveLength(6);
    const first = await client.send(new GetRecordsCommand({ ShardIterator: await iterator('TRIM_HORIZON'), Limit: 4 }));
    expect(first.Records).toEqual(expected.slice(0, 4));
    const second = await client.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    expect(second.Records).toEqual(expected.slice(4));
    // An open shard always gives a next iterator, which sees what is written later.
    const third = await client.send(new GetRecordsCommand({ ShardIterator: second.NextShardIterator }));
    expect(third.Records).toEqual([]);
    await db.client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'late' }, at: { N: '9' } } }));
    const fourth = await client.send(new GetRecordsCommand({ ShardIterator: third.NextShardIterator }));
    expect(fourth.Records?.map((record) => record.dynamodb?.Keys?.id?.S)).toEqual(['late']);
    expect(fourth.Records?.[0]).not.toHaveProperty('eventSourceARN');
  });

  it('starts at LATEST, at a sequence number or after one', async () => {
    const records = orders.read(undefined, 100);
    const latest = await iterator('LATEST');
    expect((await client.send(new GetRecordsCommand({ ShardIterator: latest }))).Records).toEqual([]);
    const sequence = records[2]!.dynamodb.SequenceNumber;
    const at = await client.send(new GetRecordsCommand({ ShardIterator: await iterator('AT_SEQUENCE_NUMBER', sequence), Limit: 1 }));
    expect(at.Records?.[0]?.dynamodb?.SequenceNumber).toBe(sequence);
    const after = await client.send(new GetRecordsCommand({ ShardIterator: await iterator('AFTER_SEQUENCE_NUMBER', sequence), Limit: 1 }));
    expect(after.Records?.[0]?.dynamodb?.SequenceNumber).toBe(records[3]!.dynamodb.SequenceNumber);
  });

  it('refuses as AWS does: unknown stream or shard, bad iterator or limit, expired iterator', async () => {
    const missingArn = orders.streamArn.replace('/orders/', '/missing/');
    await expect(client.send(new DescribeStreamCommand({ StreamArn: missingArn }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: `Requested resource not found: Stream: ${missingArn} not found` });
    await expect(client.send(new GetShardIteratorCommand({ StreamArn: orders.streamArn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(client.send(new GetShardIteratorCommand({ StreamArn: orders.streamArn, ShardId: orders.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' }))).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    await expect(client.send(new GetRecordsCommand({ ShardIterator: await iterator('LATEST'), Limit: 1001 }))).rejects.toMatchObject({ name: 'ValidationException' });
    const stale = encodeShardIterator({ streamArn: orders.streamArn, shardId: orders.shardId, after: undefined, issuedAt: Date.now() - 16 * 60 * 1000 });
    await expect(client.send(new GetRecordsCommand({ ShardIterator: stale }))).rejects.toMatchObject({ name: 'ExpiredIteratorException' });
  });

  it('answers errors with AWS __type names on the wire', async () => {
    const response = await fetch(db.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDBStreams_20120810.DescribeStream' },
      body: JSON.stringify({ StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/2020-01-01T00:00:00.000' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
      message: 'Requested resource not found: Stream: arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/2020-01-01T00:00:00.000 not found',
    });
  });
});
