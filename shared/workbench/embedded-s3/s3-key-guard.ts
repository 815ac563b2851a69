import { parseCopySource } from './s3-copy-source.ts';
import { S3ApiError } from './s3-api-error.ts';

/** S3's own limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const UPLOAD_ID = /^[A-Za-z0-9._~+=-]+$/;

export interface KeyProblem {
  code: 'InvalidBucketName' | 'InvalidArgument' | 'KeyTooLongError' | 'InvalidURI';
  message: string;
}

/**
 * Why S3 would refuse an object key, or undefined when it takes it. Everything else is a key: `//`,
 * `.` and `..` segments, long segments, any character but NUL; the store gives each its own files
 * under its bucket's folder (s3-key-paths.ts), so no key reaches outside it.
 */
export function keyProblem(key: string): KeyProblem | undefined {
  if (key.includes('\0')) return { code: 'InvalidArgument', message: 'the object key contains a NUL character' };
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return { code: 'KeyTooLongError', message: `the object key is ${Buffer.byteLength(key)} bytes long; S3 allows at most ${MAX_KEY_BYTES}` };
  return undefined;
}

function bucketProblem(bucket: string): KeyProblem | undefined {
  if (BUCKET_NAME.test(bucket) && !bucket.includes('..')) return undefined;
  return { code: 'InvalidBucketName', message: 'the bucket name is not a valid S3 bucket name' };
}

/** The bucket and key a path-style request names (`/bucket/key`), each decoded once. */
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

/** What S3 refuses in a request's bucket, key, copy source or upload id; the bucket is a folder name, the upload id one too. */
export function requestProblem(rawPath: string, query: URLSearchParams, copySource: string | undefined): KeyProblem | undefined {
  if (rawPath === '/' || rawPath === '') return undefined;
  const target = locateRequest(rawPath);
  if ('code' in target) return target;
  const problem = bucketProblem(target.bucket) ?? (target.key ? keyProblem(target.key) : undefined);
  if (problem) return problem;
  const uploadId = query.get('uploadId');
  if (uploadId !== null && !UPLOAD_ID.test(uploadId)) return { code: 'InvalidArgument', message: 'the upload id is not one the server issued' };
  if (copySource !== undefined) {
    let source;
    try {
      source = parseCopySource(copySource);
    } catch (error) {
      return { code: 'InvalidArgument', message: (error as Error).message };
    }
    return bucketProblem(source.bucket) ?? keyProblem(source.key);
  }
  return undefined;
}

export function problemError(problem: KeyProblem): S3ApiError {
  return new S3ApiError(problem.code, 400, problem.message);
}
