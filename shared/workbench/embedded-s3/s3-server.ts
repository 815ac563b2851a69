import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../engine/aws/s3-client.ts';
import type { Logger } from '../../contract/logger.ts';
import { listenOnLocalhost } from '../local/listen-port.ts';
import type { NotificationJournal } from './notification-journal.ts';
import { S3FileStore } from './s3-file-store.ts';
import type { ObjectEventRecord } from './s3-front.ts';
import { createS3Front } from './s3-front.ts';
import { createS3rverFallback } from './s3rver-fallback.ts';

/** The one key pair the embedded server accepts; any S3 client pointed at it uses it. */
export const EMBEDDED_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const EMBEDDED_REGION = 'us-east-1';

/** What the server reports for every object written or deleted (a loosely AWS-shaped record, which the bridge completes). */
export type S3rverEvent = ObjectEventRecord;

export interface EmbeddedS3 {
  endpoint: string;
  port: number;
  directory: string;
  client: S3Client;
  /**
   * Called synchronously, before the client's request completes, for every object written or
   * deleted; with the journal's intent of the request, when the server keeps a journal.
   */
  onObjectEvent(listener: (event: S3rverEvent, intent?: number) => void): void;
  createBuckets(names: Iterable<string>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts an S3-compatible server inside this process, on 127.0.0.1 only, keeping buckets as
 * folders under `<dataDir>/s3` (every key S3 accepts, as reversible file names: see
 * s3-key-paths.ts; nothing is written outside the data folder). The operations on objects are
 * Sluice's own (s3-front.ts), the rest s3rver's (s3rver-fallback.ts). Writes are atomic, and with a
 * `journal` every write request is logged before it touches the disk, so its event survives the
 * process being killed.
 */
export async function startEmbeddedS3(options: { dataDir: string; port?: number; buckets?: Iterable<string>; journal?: NotificationJournal; logger?: Logger }): Promise<EmbeddedS3> {
  const store = await S3FileStore.open(join(options.dataDir, 's3'));
  await Promise.all([...(options.buckets ?? [])].map((name) => store.createBucket(name)));
  const events = new EventEmitter();
  const intents = new AsyncLocalStorage<number>();
  const fallback = createS3rverFallback(store, (event) => events.emit('event', event));
  const front = createS3Front({ store, accessKeyId: EMBEDDED_CREDENTIALS.accessKeyId, fallback, intents, emit: (record) => events.emit('event', record), ...(options.journal ? { journal: options.journal } : {}), ...(options.logger ? { logger: options.logger } : {}) });
  const http = createServer(front);
  const port = await listenOnLocalhost(http, options.port ?? 0, 'the S3 endpoint (--s3-port N)');
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createS3Client({ endpoint, region: EMBEDDED_REGION, credentials: EMBEDDED_CREDENTIALS });
  return {
    endpoint,
    port,
    directory: store.directory,
    client,
    onObjectEvent(listener) {
      events.on('event', (event: S3rverEvent) => listener(event, intents.getStore()));
    },
    async createBuckets(names) {
      await Promise.all([...names].map((name) => store.createBucket(name)));
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()));
        http.closeAllConnections();
      });
    },
  };
}
