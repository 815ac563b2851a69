import type { AddressInfo } from 'node:net';
import type { KeyType, ScalarAttributeType } from '@aws-sdk/client-dynamodb';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

/** An in-memory dynalite server on a free port, for tests that talk to DynamoDB through the real SDK. */
export interface TestDynamo {
  endpoint: string;
  /** A new client, as a new writer instance (a restarted Lambda) would have. */
  newClient(): DynamoDBClient;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<TestDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  return {
    endpoint,
    newClient() {
      const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface KeyAttribute {
  name: string;
  type: ScalarAttributeType;
}

export async function createTable(client: DynamoDBClient, table: string, partitionKey: KeyAttribute, sortKey?: KeyAttribute): Promise<void> {
  const parts: [KeyAttribute, KeyType][] = [[partitionKey, 'HASH'], ...(sortKey ? [[sortKey, 'RANGE'] as [KeyAttribute, KeyType]] : [])];
  await client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: parts.map(([key]) => ({ AttributeName: key.name, AttributeType: key.type })),
      KeySchema: parts.map(([key, type]) => ({ AttributeName: key.name, KeyType: type })),
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}
