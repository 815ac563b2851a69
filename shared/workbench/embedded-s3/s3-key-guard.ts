import type { S3rverContext } from 's3rver';
import { QUARANTINE_REASON_SUFFIX, REJECTED_RECORDS_SUFFIX, SUMMARY_SUFFIX } from '../../engine/pipeline/quarantine-keys.ts';

/** S3's own limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/**
 * The embedded server keeps each key segment as a file name with a suffix of up to 22 bytes
 * (`._S3rver_metadata.json`); file systems allow 255 bytes. A source's segment may have 200, so
 * that the records a pipeline keeps beside it (`<key>.rejected.ndjson`, ...) still fit.
 */
export const MAX_SEGMENT_BYTES = 200;
const RECORD_SUFFIXES = [REJECTED_RECORDS_SUFFIX, SUMMARY_SUFFIX, QUARANTINE_REASON_SUFFIX];

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const UPLOAD_ID = /^[A-Za-z0-9._~+=-]+$/;

export interface KeyProblem {
  code: 'InvalidBucketName' | 'InvalidArgument' | 'KeyTooLongError' | 'InvalidURI';
  message: string;
}

/**
 * Why an object key cannot be stored as a file under its bucket's folder, or undefined when it
 * can. The embedded server (s3rver) joins a key's segments into a path, so `..` would climb out of
 * the bucket, `.` and empty segments would make two keys one file, and a NUL or an over-long
 * segment would fail in the file system; S3 itself stores such keys, Sluice's local store refuses them.
 */
export function keyProblem(key: string): KeyProblem | undefined {
  if (key.includes('\0')) return { code: 'InvalidArgument', message: 'the object key contains a NUL character' };
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return { code: 'KeyTooLongError', message: `the object key is ${Buffer.byteLength(key)} bytes long; S3 allows at most ${MAX_KEY_BYTES}` };
  const segments = key.split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment === '..' || segment === '.') return { code: 'InvalidArgument', message: `the object key has a "${segment}" path segment, which the local store would resolve outside the key's folder` };
    // A trailing slash is a folder marker (`images/`); any other empty segment aliases another key.
    if (segment === '' && index < segments.length - 1) return { code: 'InvalidArgument', message: 'the object key has an empty path segment (a leading slash or "//"), which the local store would merge with another key' };
    const record = index === segments.length - 1 ? RECORD_SUFFIXES.find((suffix) => segment.endsWith(suffix)) : undefined;
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES + (record?.length ?? 0)) return { code: 'KeyTooLongError', message: `a segment of the object key is ${Buffer.byteLength(segment)} bytes long; the local store keeps segments as file names of at most ${MAX_SEGMENT_BYTES} bytes` };
  }
  return undefined;
}

function bucketProblem(bucket: string): KeyProblem | undefined {
  if (BUCKET_NAME.test(bucket) && !bucket.includes('..')) return undefined;
  return { code: 'InvalidBucketName', message: 'the bucket name is not a valid S3 bucket name' };
}

/** The bucket and key a path-style request names (`/bucket/key`), decoded as the server's router decodes them. */
export function locateRequest(rawPath: string): { bucket: string; key: string } | KeyProblem {
  const path = rawPath.slice(1);
  const slash = path.indexOf('/');
  try {
    if (slash === -1) return { bucket: decodeURIComponent(path), key: '' };
    return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
  } catch {
    return { code: 'InvalidURI', message: 'the request path is not valid percent-encoding' };
  }
}

/** What a request would make the server touch on disk, if it is not safe. */
export function requestProblem(rawPath: string, query: Record<string, unknown>, copySource: string | undefined): KeyProblem | undefined {
  if (rawPath === '/' || rawPath === '') return undefined;
  const target = locateRequest(rawPath);
  if ('code' in target) return target;
  const problem = bucketProblem(target.bucket) ?? (target.key ? keyProblem(target.key) : undefined);
  if (problem) return problem;
  const uploadId = query.uploadId;
  if (typeof uploadId === 'string' && !UPLOAD_ID.test(uploadId)) return { code: 'InvalidArgument', message: 'the upload id is not one the server issued' };
  if (copySource !== undefined) {
    let source: string;
    try {
      source = decodeURI(copySource);
    } catch {
      return { code: 'InvalidArgument', message: 'x-amz-copy-source is not valid percent-encoding' };
    }
    const located = locateRequest(source.startsWith('/') ? source : `/${source}`);
    if ('code' in located) return located;
    return bucketProblem(located.bucket) ?? keyProblem(located.key.split('?')[0] ?? '');
  }
  return undefined;
}

function errorXml(problem: KeyProblem): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${problem.code}</Code><Message>${escape(problem.message)}</Message></Error>`;
}

/**
 * Koa middleware, first in the embedded S3 server's chain: answers a request whose bucket, key,
 * copy source or upload id could make the server read or write outside its data folder with a
 * 400 and S3's error code, before anything touches the disk.
 */
export async function guardKeys(ctx: S3rverContext, next: () => Promise<unknown>): Promise<unknown> {
  const copySource = ctx.get('x-amz-copy-source') || undefined;
  const problem = requestProblem(ctx.path, ctx.query, copySource);
  if (!problem) return next();
  ctx.status = 400;
  ctx.type = 'application/xml';
  ctx.body = errorXml(problem);
  return undefined;
}
