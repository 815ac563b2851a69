import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import S3rver from 's3rver';
import type { S3rverStore, Subresource } from 's3rver';
import type { S3FileStore } from './s3-file-store.ts';
import { keptMetadata } from './s3-file-store.ts';
import { keyProblem } from './s3-key-guard.ts';

// s3rver's models, for what its controllers expect back from a store.
const require = createRequire(import.meta.url);
const S3Error = require('s3rver/lib/models/error') as new (code: string, message: string) => Error;
const S3Object = require('s3rver/lib/models/object') as new (bucket: string, key: string, content: Readable | null, metadata: Record<string, string | number>) => unknown;
const { getConfigModel } = require('s3rver/lib/models/config') as { getConfigModel(type: string): new (xml: string) => { matchRule(origin: string, method: string): CorsRule | undefined } };

interface CorsRule {
  hasWildcardOrigin: boolean;
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

/** s3rver's store interface, over Sluice's store. */
function storeFor(store: S3FileStore): S3rverStore {
  const bucketOf = async (name: string) => {
    const created = await store.bucketCreated(name);
    return created ? { name, creationDate: created } : null;
  };
  return {
    getBucket: bucketOf,
    async putBucket(name) {
      await store.createBucket(name);
      return bucketOf(name);
    },
    deleteBucket: (name) => store.deleteBucket(name),
    listBuckets: async () => (await store.listBuckets()).map(({ name, created }) => ({ name, creationDate: created })),
    // DeleteBucket asks for one object to know whether the bucket is empty.
    listObjects: async (bucket) => ({ objects: (await store.walk(bucket, '').next()) ? [{}] : [], commonPrefixes: [], isTruncated: false }),
    existsObject: async (bucket, key) => (await store.head(bucket, key)) !== undefined,
    async getObject(bucket, key) {
      const object = await store.open(bucket, key);
      if (!object) return null;
      const { info } = object;
      return new S3Object(bucket, key, object.read(), { ...info.metadata, etag: `"${info.eTag}"`, 'last-modified': info.lastModified.toUTCString(), 'content-length': info.size });
    },
    async putObject(object) {
      const problem = keyProblem(object.key);
      if (problem) throw new S3Error(problem.code, problem.message);
      const { size, eTag } = await store.put(object.bucket, object.key, object.content, { 'content-type': 'binary/octet-stream', ...keptMetadata(object.metadata) });
      return { size, md5: eTag };
    },
    async getSubresource(bucket, key, type) {
      const xml = await store.readResource(bucket, key, `${type}.xml`);
      return xml === undefined ? null : new (getConfigModel(type))(xml);
    },
    putSubresource: (bucket, key, resource: Subresource) => store.writeResource(bucket, key, `${resource.type}.xml`, resource.toXML(2)),
    deleteSubresource: (bucket, key, type) => store.deleteResource(bucket, key, `${type}.xml`),
    reset() {},
  };
}

export interface S3rverFallback {
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** The CORS headers of a bucket's configuration for an actual (not preflight) request, as s3rver adds them. */
  corsHeaders(bucket: string, origin: string, method: string): Promise<Record<string, string>>;
}

/**
 * s3rver, behind Sluice's own S3 operations (s3-front.ts), for what they leave to it: ListBuckets,
 * CreateBucket and DeleteBucket, bucket CORS and website settings and CORS preflights, object tags
 * and ACLs, browser form uploads (POST). It keeps its objects in Sluice's store, and reports its
 * uploads through `onEvent`.
 */
export function createS3rverFallback(store: S3FileStore, onEvent: (event: unknown) => void): S3rverFallback {
  const server = new S3rver({ directory: store.directory, silent: true, vhostBuckets: false });
  const adapted = storeFor(store);
  server.store = adapted;
  server.context.store = adapted;
  server.on('event', onEvent);
  return {
    handle: server.callback(),
    async corsHeaders(bucket, origin, method) {
      const config = (await adapted.getSubresource(bucket, undefined, 'cors')) as { matchRule(origin: string, method: string): CorsRule | undefined } | null;
      const rule = config?.matchRule(origin, method);
      if (!rule) return {};
      return {
        'access-control-allow-origin': rule.hasWildcardOrigin ? '*' : origin,
        ...(rule.exposeHeaders.length ? { 'access-control-expose-headers': rule.exposeHeaders.join(', ') } : {}),
        ...(rule.maxAgeSeconds != null ? { 'access-control-max-age': String(rule.maxAgeSeconds) } : {}),
        'access-control-allow-credentials': 'true',
        vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
      };
    },
  };
}
