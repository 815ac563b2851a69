import type { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../../contract/logger.ts';
import type { NotificationJournal } from './notification-journal.ts';
import { S3ApiError, noSuchBucket } from './s3-api-error.ts';
import type { S3Answer, S3Call } from './s3-call.ts';
import type { S3FileStore } from './s3-file-store.ts';
import { locateRequest, problemError, requestProblem } from './s3-key-guard.ts';
import { headBucket, listObjects } from './s3-list-objects.ts';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, uploadPart, uploadPartCopy } from './s3-multipart.ts';
import { getObject } from './s3-object-reads.ts';
import { copyObject, deleteObject, deleteObjects, putObject } from './s3-object-writes.ts';
import { errorDocument } from './s3-xml.ts';
import type { S3rverFallback } from './s3rver-fallback.ts';

/** The record of an object event, as the bridge reads it (s3rver's own shape: its uploads report the same way). */
export interface ObjectEventRecord {
  Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } } }[];
}

type Operation = (call: S3Call) => Promise<S3Answer> | S3Answer;

/** An operation, and whether it writes or deletes an object (logged as an intent in the journal first). */
interface Route {
  operation: Operation;
  writes?: boolean;
}

// Query parameters that name a bucket's or an object's settings rather than its objects or content: left to s3rver.
const BUCKET_SETTINGS = ['accelerate', 'acl', 'analytics', 'cors', 'encryption', 'intelligent-tiering', 'inventory', 'lifecycle', 'location', 'logging', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'tagging', 'uploads', 'versioning', 'versions', 'website'];
const OBJECT_SETTINGS = ['acl', 'attributes', 'legal-hold', 'restore', 'retention', 'select', 'tagging', 'torrent'];

/** The operation S3 would run for a request, when Sluice runs it itself. */
function routeOf(method: string, key: string, query: URLSearchParams, copies: boolean): Route | undefined {
  if (!key) {
    if (method === 'POST' && query.has('delete')) return { operation: deleteObjects };
    if (BUCKET_SETTINGS.some((name) => query.has(name))) return undefined;
    if (method === 'GET') return { operation: listObjects };
    if (method === 'HEAD') return { operation: headBucket };
    return undefined;
  }
  if (OBJECT_SETTINGS.some((name) => query.has(name))) return undefined;
  const upload = query.has('uploadId');
  switch (method) {
    case 'GET':
    case 'HEAD':
      return upload ? undefined : { operation: getObject };
    case 'PUT':
      if (upload) return { operation: copies ? uploadPartCopy : uploadPart };
      return { operation: copies ? copyObject : putObject, writes: true };
    case 'POST':
      if (query.has('uploads')) return { operation: createMultipartUpload };
      return upload ? { operation: completeMultipartUpload, writes: true } : undefined;
    case 'DELETE':
      return upload ? { operation: abortMultipartUpload } : { operation: deleteObject, writes: true };
    default:
      return undefined;
  }
}

/** The access key a request is signed with, if it is signed. */
function accessKeyOf(request: IncomingMessage, query: URLSearchParams): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization) return (/Credential=([^/,\s]+)/.exec(authorization) ?? /^AWS ([^:\s]+):/.exec(authorization))?.[1] ?? '';
  return query.get('X-Amz-Credential')?.split('/')[0] ?? query.get('AWSAccessKeyId') ?? undefined;
}

/** Refuses, as s3rver did, a key pair other than the embedded one and a presigned URL past its expiry. */
function checkCredentials(request: IncomingMessage, query: URLSearchParams, accessKeyId: string): void {
  const used = accessKeyOf(request, query);
  if (used !== undefined && used !== accessKeyId) throw new S3ApiError('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: used });
  const signed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  const expires = Number(query.get('X-Amz-Expires') ?? NaN);
  const expiry = signed && Number.isFinite(expires) ? Date.UTC(+signed[1]!, +signed[2]! - 1, +signed[3]!, +signed[4]!, +signed[5]!, +signed[6]!) + expires * 1000 : Number(query.get('Expires') ?? NaN) * 1000;
  if (Number.isFinite(expiry) && Date.now() > expiry) throw new S3ApiError('AccessDenied', 403, 'Request has expired');
}

export interface S3FrontOptions {
  store: S3FileStore;
  accessKeyId: string;
  fallback: S3rverFallback;
  /** Logs every write request before it touches the disk (see s3-server.ts). */
  journal?: NotificationJournal;
  /** The journal intent of the write being served, for the events it reports. */
  intents: AsyncLocalStorage<number>;
  emit(record: ObjectEventRecord): void;
  logger?: Logger;
}

function send(response: ServerResponse, answer: S3Answer, requestId: string, head: boolean): Promise<void> | void {
  const headers: Record<string, string | number> = { 'x-amz-request-id': requestId, ...answer.headers };
  const { body } = answer;
  if (typeof body === 'string' && !head) headers['content-length'] = Buffer.byteLength(body);
  else if (body === undefined && !('content-length' in headers) && answer.status !== 204 && answer.status !== 304) headers['content-length'] = 0;
  response.writeHead(answer.status, headers);
  if (body === undefined || head) {
    if (body && typeof body !== 'string') body.destroy();
    response.end();
    return;
  }
  if (typeof body === 'string') {
    response.end(body);
    return;
  }
  return pipeline(body, response);
}

/**
 * The embedded S3 server's request handler: the operations on objects (PutObject, GetObject and
 * HeadObject with ranges and conditions, DeleteObject, DeleteObjects, CopyObject, ListObjects v1
 * and v2, the multipart upload operations with UploadPartCopy) are Sluice's own, on its store; the
 * rest (bucket and object settings, ListBuckets, CreateBucket, DeleteBucket, browser form uploads)
 * goes to s3rver, with the path written so that its router reads any key as one.
 */
export function createS3Front(options: S3FrontOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const { store, journal, intents } = options;
  const intend = async <T>(write: { method: string; bucket: string; key: string }, work: () => Promise<T>): Promise<T> => {
    if (!journal) return work();
    const id = journal.intend(write);
    return intents.run(id, async () => {
      try {
        return await work();
      } finally {
        journal.settle(id);
      }
    });
  };

  async function serve(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
    const url = request.url ?? '/';
    const mark = url.indexOf('?');
    const rawPath = mark === -1 ? url : url.slice(0, mark);
    const search = mark === -1 ? '' : url.slice(mark);
    const query = new URLSearchParams(search);
    const method = request.method ?? 'GET';
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
    checkCredentials(request, query, options.accessKeyId);
    const problem = requestProblem(rawPath, query, header('x-amz-copy-source'));
    if (problem) throw problemError(problem);
    const target = rawPath === '/' ? undefined : locateRequest(rawPath);
    const route = target && !('code' in target) ? routeOf(method, target.key, query, header('x-amz-copy-source') !== undefined) : undefined;
    if (!target || 'code' in target || !route) {
      if (target && !('code' in target)) request.url = `/${encodeURIComponent(target.bucket)}${target.key ? `/${encodeURIComponent(target.key)}` : ''}${search}`;
      options.fallback.handle(request, response);
      return;
    }
    const { bucket, key } = target;
    if (!(await store.bucketCreated(bucket))) throw noSuchBucket(bucket);
    const call: S3Call = {
      request,
      method,
      bucket,
      key,
      query,
      header,
      store,
      intend,
      report(event) {
        const { eventName, size, eTag } = event;
        options.emit({ Records: [{ eventName, s3: { bucket: { name: event.bucket }, object: { key: event.key, ...(size !== undefined ? { size } : {}), ...(eTag !== undefined ? { eTag } : {}) } } }] });
      },
    };
    const answer = route.writes ? await intend({ method, bucket, key }, async () => route.operation(call)) : await route.operation(call);
    const origin = header('origin');
    if (origin) answer.headers = { ...(await options.fallback.corsHeaders(bucket, origin, method)), ...answer.headers };
    await send(response, answer, requestId, method === 'HEAD');
  }

  return (request, response) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    serve(request, response, requestId).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const known = error instanceof S3ApiError;
      if (!known) options.logger?.error({ err: error, method: request.method, url: request.url }, 'the embedded S3 server failed a request');
      const answer = known ? error : new S3ApiError('InternalError', 500, 'We encountered an internal error. Please try again.');
      const resource = (request.url ?? '/').split('?')[0]!;
      const head = request.method === 'HEAD';
      const body = errorDocument(answer, resource, requestId);
      response.writeHead(answer.status, { 'x-amz-request-id': requestId, 'content-type': 'application/xml', ...(head ? {} : { 'content-length': Buffer.byteLength(body) }), ...answer.headers });
      response.end(head ? undefined : body);
    });
  };
}
