// s3rver ships no types; this declares the part Sluice uses.
declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { AddressInfo } from 'node:net';
  import type { Readable } from 'node:stream';

  interface S3rverOptions {
    address?: string;
    port?: number;
    directory?: string;
    silent?: boolean;
    vhostBuckets?: boolean;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: { name: string; configs: (string | Buffer)[] }[];
  }

  export interface StoredObject {
    bucket: string;
    key: string;
    content: Buffer | Readable;
    metadata: Record<string, string>;
  }

  export interface FilesystemStore {
    putBucket(name: string): Promise<unknown>;
    getResourcePath(bucket: string, key: string, resource: string): string;
    putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
    putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
    deleteObject(bucket: string, key: string): Promise<void>;
  }

  /** The part of a Koa context the middleware Sluice adds reads and sets. */
  export interface S3rverContext {
    method: string;
    path: string;
    query: Record<string, unknown>;
    get(header: string): string;
    status: number;
    type: string;
    body: unknown;
  }

  export type S3rverMiddleware = (ctx: S3rverContext, next: () => Promise<unknown>) => unknown;

  class S3rver extends EventEmitter {
    constructor(options?: S3rverOptions);
    store: FilesystemStore;
    /** Koa's middleware chain, composed when the server starts listening. */
    middleware: S3rverMiddleware[];
    run(): Promise<AddressInfo>;
    /** Creates the configured buckets (what run() does before it listens). */
    configureBuckets(): Promise<unknown>;
    /** Koa's request handler, for a server of one's own. */
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    close(): Promise<void>;
  }
  export default S3rver;
}
