import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDBClient } from '../../engine/aws/dynamodb-client.ts';
import { listenOnLocalhost } from '../local/listen-port.ts';
import { EMBEDDED_CREDENTIALS, EMBEDDED_REGION } from '../embedded-s3/s3-server.ts';
import { resolveIntent } from './change-capture.ts';
import { lockTableStore } from './data-dir-lock.ts';
import { ensureTables, keySchemaOf } from './declared-tables.ts';
import type { TableDeclaration } from './declared-tables.ts';
import { DynaliteConnection } from './dynalite-connection.ts';
import { createDynalite } from './dynalite-store.ts';
import { createFrontServer } from './front-server.ts';
import { StreamLog } from './stream-log.ts';
import { StreamsApi } from './streams-api.ts';
import { TableLocks } from './table-locks.ts';
import { TableStore } from './table-store.ts';
import type { TableStream } from './table-stream.ts';

export type { TableDeclaration } from './declared-tables.ts';
export type { DeliveredStreamRecord } from '../../../events/dynamodb/generate.ts';
export type { TableStream } from './table-stream.ts';

export interface EmbeddedDynamoDBOptions {
  /** The local state folder (`.sluice`): tables are kept under `<dataDir>/dynamodb`, stream logs under `<dataDir>/streams`. */
  dataDir: string;
  /** Default: any free port. */
  port?: number;
  tables: Record<string, TableDeclaration>;
  /** Default us-east-1. */
  region?: string;
}

export interface EmbeddedDynamoDB {
  /** http://127.0.0.1:PORT, answering DynamoDB and DynamoDB Streams calls. */
  endpoint: string;
  port: number;
  region: string;
  /** Any key pair works; these are the ones Sluice prints (the embedded S3 server's, so one pair serves both). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  client: DynamoDBClient;
  /** By table name, the tables declared with a stream. */
  streams: ReadonlyMap<string, TableStream>;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/**
 * dynalite on the tables kept in `store` (see table-store.ts for why not on LevelDB), loaded
 * before it answers anything. dynalite reads the region and account of its table ARNs from the
 * environment, once, at creation.
 */
async function startDynalite(store: TableStore, region: string): Promise<Server> {
  const saved = { region: process.env.AWS_REGION, account: process.env.AWS_ACCOUNT_ID };
  process.env.AWS_REGION = region;
  process.env.AWS_ACCOUNT_ID = '000000000000';
  let made: ReturnType<typeof createDynalite>;
  try {
    made = createDynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  } finally {
    for (const [name, value] of [['AWS_REGION', saved.region], ['AWS_ACCOUNT_ID', saved.account]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  await store.attach(made.db);
  return made.server;
}

/** Opens the stream logs of the tables declared with one, and settles the writes a crash left without records. */
async function openStreams(dataDir: string, tables: Record<string, TableDeclaration>, created: Set<string>, connection: DynaliteConnection, region: string): Promise<Map<string, StreamLog>> {
  const directory = join(dataDir, 'streams');
  await mkdir(directory, { recursive: true });
  const streams = new Map<string, StreamLog>();
  try {
    for (const [table, declaration] of Object.entries(tables)) {
      if (!declaration.stream) continue;
      const log = new StreamLog({ directory, table, keySchema: keySchemaOf(declaration), viewType: declaration.stream, region, newTable: created.has(table) });
      streams.set(table, log);
      for (const intent of log.pendingIntents()) await resolveIntent(connection, log, intent);
      log.compact();
    }
  } catch (error) {
    for (const log of streams.values()) log.close();
    throw error;
  }
  return streams;
}

/**
 * Starts a DynamoDB-compatible server inside this process, on 127.0.0.1 only: dynalite, keeping
 * the tables under `<dataDir>/dynamodb`, behind a front server that adds what dynalite lacks:
 * the declared tables' change streams (durable logs under `<dataDir>/streams`, readable through
 * the DynamoDB Streams API on the same endpoint) and TransactWriteItems.
 */
export async function startEmbeddedDynamoDB(options: EmbeddedDynamoDBOptions): Promise<EmbeddedDynamoDB> {
  const region = options.region ?? EMBEDDED_REGION;
  const tableDirectory = join(options.dataDir, 'dynamodb');
  await mkdir(tableDirectory, { recursive: true });
  const unlock = lockTableStore(tableDirectory);
  let tableStore: TableStore;
  let store: Server;
  let connection: DynaliteConnection;
  try {
    tableStore = await TableStore.open(tableDirectory);
    try {
      store = await startDynalite(tableStore, region);
      connection = new DynaliteConnection(await listen(store, 0));
    } catch (error) {
      await tableStore.close();
      throw error;
    }
  } catch (error) {
    unlock();
    throw error;
  }
  let streams = new Map<string, StreamLog>();
  let front: Server | undefined;
  try {
    const created = await ensureTables(connection, options.tables, tableDirectory);
    streams = await openStreams(options.dataDir, options.tables, created, connection, region);
    front = createFrontServer({ connection, streams, locks: new TableLocks(), streamsApi: new StreamsApi(streams) });
    const port = await listenOnLocalhost(front, options.port ?? 0, 'the DynamoDB endpoint (--dynamodb-port N)');
    const endpoint = `http://127.0.0.1:${port}`;
    const credentials = { ...EMBEDDED_CREDENTIALS };
    const client = createDynamoDBClient({ endpoint, region, credentials });
    let closing: Promise<void> | undefined;
    return {
      endpoint,
      port,
      region,
      credentials,
      client,
      streams,
      close() {
        closing ??= (async () => {
          client.destroy();
          await closeServer(front!);
          connection.close();
          await closeServer(store);
          await tableStore.close();
          for (const log of streams.values()) log.close();
          unlock();
        })();
        return closing;
      },
    };
  } catch (error) {
    if (front?.listening) await closeServer(front);
    connection.close();
    await closeServer(store).catch(() => undefined);
    await tableStore.close();
    for (const log of streams.values()) log.close();
    unlock();
    throw error;
  }
}
