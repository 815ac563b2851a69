// s3rver ships no types; this declares the part Sluice uses.
declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { IncomingMessage, ServerResponse } from 'node:http';
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

  /** An object as s3rver's controllers hand it to its store (a browser form upload's). */
  export interface StoredObject {
    bucket: string;
    key: string;
    content: Buffer | Readable;
    metadata: Record<string, string>;
  }

  /** A bucket setting or an object's tags, as s3rver's models hold them. */
  export interface Subresource {
    type: string;
    toXML(indent?: number): string;
  }

  /** What s3rver's controllers ask of its store. */
  export interface S3rverStore {
    getBucket(name: string): Promise<{ name: string; creationDate: Date } | null>;
    putBucket(name: string): Promise<{ name: string; creationDate: Date } | null>;
    deleteBucket(name: string): Promise<void>;
    listBuckets(): Promise<{ name: string; creationDate: Date }[]>;
    listObjects(bucket: string, options: { maxKeys?: number }): Promise<{ objects: unknown[]; commonPrefixes: string[]; isTruncated: boolean }>;
    existsObject(bucket: string, key: string): Promise<boolean>;
    getObject(bucket: string, key: string): Promise<unknown>;
    putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
    getSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown>;
    putSubresource(bucket: string, key: string | undefined, resource: Subresource): Promise<void>;
    deleteSubresource(bucket: string, key: string | undefined, type: string): Promise<void>;
    reset(): void;
  }

  class S3rver extends EventEmitter {
    constructor(options?: S3rverOptions);
    store: S3rverStore;
    /** Koa's context prototype: its `store` is what the controllers use. */
    context: { store: S3rverStore };
    /** Koa's request handler, for a server of one's own. */
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }
  export default S3rver;
}
