import { S3ApiError, invalidArgument, noSuchKey, preconditionFailed } from './s3-api-error.ts';
import type { S3Answer, S3Call } from './s3-call.ts';
import type { ObjectInfo } from './s3-file-store.ts';

/** Headers a GET can ask to have answered otherwise (`response-content-type=...`), as S3 allows. */
const OVERRIDES = ['content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding'];

export type ByteRange = { start: number; end: number };

/**
 * The bytes a `Range` header asks of an object of `size` bytes, as S3 reads it (RFC 9110):
 * `bytes=first-last` (the last clamped to the object's end), `bytes=first-` (to the end),
 * `bytes=-n` (the last n bytes, or all of a shorter object: s3rver read this as `0-n`).
 * `unsatisfiable` is S3's 416: a first byte at or past the end, or the last 0 bytes.
 * `undefined` means the whole object with a 200: no header, or one S3 ignores (not `bytes=`,
 * several ranges, a last byte before the first), and a suffix on an empty object (AWS answers
 * those with the empty object).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const range = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header);
  if (!range || (range[1] === '' && range[2] === '')) return undefined;
  const [, first = '', last = ''] = range;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    if (size === 0) return undefined;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

const unquote = (eTag: string) => eTag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
const matches = (header: string, eTag: string) => header.split(',').some((item) => item.trim() === '*' || unquote(item) === eTag);
const dated = (header: string | undefined) => {
  const time = header === undefined ? NaN : Date.parse(header);
  return Number.isNaN(time) ? undefined : time;
};

/** The conditional headers of a GET or HEAD (RFC 9110's order, as S3): 412, 304, or go on. */
function checkConditions(call: S3Call, info: ObjectInfo): 'not-modified' | undefined {
  const modified = Math.floor(info.lastModified.getTime() / 1000) * 1000;
  const ifMatch = call.header('if-match');
  if (ifMatch !== undefined) {
    if (!matches(ifMatch, info.eTag)) throw preconditionFailed('If-Match');
  } else {
    const since = dated(call.header('if-unmodified-since'));
    if (since !== undefined && modified > since) throw preconditionFailed('If-Unmodified-Since');
  }
  const ifNoneMatch = call.header('if-none-match');
  if (ifNoneMatch !== undefined) return matches(ifNoneMatch, info.eTag) ? 'not-modified' : undefined;
  const since = dated(call.header('if-modified-since'));
  return since !== undefined && modified <= since ? 'not-modified' : undefined;
}

/** The embedded buckets are unversioned, as S3's default: the one version of an object is "null". */
export function checkVersionId(call: S3Call): void {
  const versionId = call.query.get('versionId');
  if (versionId !== null && versionId !== 'null') throw invalidArgument('Invalid version id specified', 'versionId', versionId);
}

/** The headers S3 answers an object with. */
export function objectHeaders(info: ObjectInfo): Record<string, string | number> {
  const headers: Record<string, string | number> = { 'content-type': 'binary/octet-stream', ...info.metadata };
  headers['etag'] = `"${info.eTag}"`;
  headers['last-modified'] = info.lastModified.toUTCString();
  headers['accept-ranges'] = 'bytes';
  return headers;
}

/** GetObject and HeadObject: conditions, a byte range, the response-* overrides. */
export async function getObject(call: S3Call): Promise<S3Answer> {
  checkVersionId(call);
  const object = await call.store.open(call.bucket, call.key);
  if (!object) throw noSuchKey(call.key);
  let reading = false;
  try {
    const { info } = object;
    const headers = objectHeaders(info);
    if (checkConditions(call, info) === 'not-modified') return { status: 304, headers: { etag: headers['etag']!, 'last-modified': headers['last-modified']! } };
    const range = parseRange(call.header('range'), info.size);
    if (range === 'unsatisfiable') {
      throw new S3ApiError('InvalidRange', 416, 'The requested range is not satisfiable', { RangeRequested: call.header('range') ?? '', ActualObjectSize: info.size }, { 'content-range': `bytes */${info.size}` });
    }
    for (const name of OVERRIDES) {
      const value = call.query.get(`response-${name}`);
      if (value !== null) headers[name] = value;
    }
    if (range) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
      headers['content-length'] = range.end - range.start + 1;
    } else headers['content-length'] = info.size;
    if (call.method === 'HEAD') return { status: range ? 206 : 200, headers };
    reading = true;
    return { status: range ? 206 : 200, headers, body: object.read(range) };
  } finally {
    if (!reading) await object.close();
  }
}
