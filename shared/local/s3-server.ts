import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:http';
import S3rver from 's3rver';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../aws/s3-client.ts';
import type { NotificationJournal } from './notification-journal.ts';
import { makeWritesAtomic } from './s3-atomic-store.ts';
import { listenOnLocalhost } from './listen-port.ts';
import { guardKeys, locateRequest } from './s3-key-guard.ts';

const WRITE_METHODS = new Set(['PUT', 'POST', 'DELETE']);

/** s3rver accepts exactly this key pair; any S3 client pointed at the embedded server uses it. */
export const EMBEDDED_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const EMBEDDED_REGION = 'us-east-1';

/** What s3rver emits for every object write or delete (its own, loosely AWS-shaped record). */
export interface S3rverEvent {
  Records: {
    eventName: string;
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  }[];
}

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
 * DeleteObjects (`POST /bucket?delete`, what `aws s3 rm --recursive` sends): s3rver deletes each
 * listed object that exists but reports none of them, where S3 sends an `ObjectRemoved:Delete` for
 * each. Within such a request (`run` marks it), each deletion is logged as its own intent and
 * reported as S3 would.
 */
function reportMultiDeletes(server: S3rver, journal: NotificationJournal | undefined, intents: AsyncLocalStorage<number>): AsyncLocalStorage<true> {
  const requests = new AsyncLocalStorage<true>();
  const deleteObject = server.store.deleteObject.bind(server.store);
  server.store.deleteObject = async (bucket, key) => {
    if (!requests.getStore()) return deleteObject(bucket, key);
    const removed = async () => {
      await deleteObject(bucket, key);
      const event: S3rverEvent = { Records: [{ eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: bucket }, object: { key } } }] };
      server.emit('event', event);
    };
    if (!journal) return removed();
    const id = journal.intend({ method: 'DELETE', bucket, key });
    try {
      await intents.run(id, removed);
    } finally {
      journal.settle(id);
    }
  };
  return requests;
}

/**
 * Starts an S3-compatible server inside this process, on 127.0.0.1 only, keeping buckets as
 * folders under `<dataDir>/s3`. Keys that would leave a bucket's folder are refused (see
 * s3-key-guard.ts), writes are atomic, and with a `journal` every write request is logged before
 * it touches the disk, so its event survives the process being killed.
 */
export async function startEmbeddedS3(options: { dataDir: string; port?: number; buckets?: Iterable<string>; journal?: NotificationJournal }): Promise<EmbeddedS3> {
  const directory = join(options.dataDir, 's3');
  await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [...(options.buckets ?? [])].map((name) => ({ name, configs: [] })),
  });
  await makeWritesAtomic(server.store, directory);
  const intents = new AsyncLocalStorage<number>();
  const { journal } = options;
  const multiDelete = reportMultiDeletes(server, journal, intents);
  // Before s3rver's own middleware: nothing reaches the disk unchecked, or unlogged.
  server.middleware.unshift(guardKeys, (ctx, next) => {
    if (!WRITE_METHODS.has(ctx.method)) return next();
    const target = locateRequest(ctx.path);
    if ('code' in target) return next();
    if (!target.key && ctx.method === 'POST' && 'delete' in ctx.query) return multiDelete.run(true, next);
    if (!journal || !target.key) return next();
    const id = journal.intend({ method: ctx.method, bucket: target.bucket, key: target.key });
    return intents.run(id, async () => {
      try {
        return await next();
      } finally {
        journal.settle(id);
      }
    });
  });
  await server.configureBuckets();
  // Listening here, not in s3rver's run(): its listen lets a taken port crash the process.
  const http = createServer(server.callback());
  const port = await listenOnLocalhost(http, options.port ?? 0, 'the S3 endpoint (--s3-port N)');
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createS3Client({ endpoint, region: EMBEDDED_REGION, credentials: EMBEDDED_CREDENTIALS });
  return {
    endpoint,
    port,
    directory,
    client,
    onObjectEvent(listener) {
      server.on('event', (event: S3rverEvent) => listener(event, intents.getStore()));
    },
    async createBuckets(names) {
      await Promise.all([...names].map((name) => server.store.putBucket(name)));
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
