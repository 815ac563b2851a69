import { S3ApiError, invalidArgument, preconditionFailed } from './s3-api-error.ts';
import type { ObjectInfo } from './s3-file-store.ts';

export interface CopySource {
  bucket: string;
  key: string;
}

/**
 * The object an `x-amz-copy-source` header names: `bucket/key` (with or without a leading `/`),
 * the key URL-encoded once, as S3 requires and as the SDKs and the CLI send it, and optionally
 * `?versionId=...`. The key is decoded exactly once, with every escape (`%2B`, `%26`, `%23`,
 * `%3D`, `%3F`, `%25`, ...): decodeURI, which s3rver used, leaves the reserved characters encoded,
 * so `a%2Bb.png` was looked up as the key `a%2Bb.png`, and `%25` decoded twice was an error.
 */
export function parseCopySource(header: string): CopySource {
  let source = header.startsWith('/') ? header.slice(1) : header;
  const query = source.indexOf('?');
  if (query !== -1) {
    const versionId = new URLSearchParams(source.slice(query + 1)).get('versionId');
    // The embedded buckets are unversioned, as S3's default: their one version is "null".
    if (versionId !== null && versionId !== 'null') throw invalidArgument('Invalid version id specified', 'x-amz-copy-source', header);
    source = source.slice(0, query);
  }
  const slash = source.indexOf('/');
  if (slash <= 0 || slash === source.length - 1) throw invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', header);
  try {
    return { bucket: decodeURIComponent(source.slice(0, slash)), key: decodeURIComponent(source.slice(slash + 1)) };
  } catch {
    throw invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', header);
  }
}

const unquote = (eTag: string) => eTag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
const listed = (header: string, eTag: string) => header.split(',').some((item) => item.trim() === '*' || unquote(item) === eTag);
const dated = (header: string) => {
  const time = Date.parse(header);
  return Number.isNaN(time) ? undefined : time;
};
/** Last-Modified has whole seconds: a date compares with it at that precision. */
const seconds = (date: Date) => Math.floor(date.getTime() / 1000) * 1000;

/** The `x-amz-copy-source-if-*` conditions of a copy, checked against its source: 412 when one fails, as S3. */
export function checkCopyConditions(header: (name: string) => string | undefined, source: ObjectInfo): void {
  const match = header('x-amz-copy-source-if-match');
  const noneMatch = header('x-amz-copy-source-if-none-match');
  const unmodifiedSince = dated(header('x-amz-copy-source-if-unmodified-since') ?? '');
  const modifiedSince = dated(header('x-amz-copy-source-if-modified-since') ?? '');
  const modified = seconds(source.lastModified);
  if (match !== undefined) {
    if (!listed(match, source.eTag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  } else if (unmodifiedSince !== undefined && modified > unmodifiedSince) throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  if (noneMatch !== undefined) {
    if (listed(noneMatch, source.eTag)) throw preconditionFailed('x-amz-copy-source-If-None-Match');
  } else if (modifiedSince !== undefined && modified <= modifiedSince) throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
}

/** `x-amz-copy-source-range: bytes=first-last` of an UploadPartCopy, within a source of `size` bytes. */
export function parseCopySourceRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const range = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!range || Number(range[1]) > Number(range[2])) {
    throw invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', header);
  }
  const start = Number(range[1]);
  const end = Number(range[2]);
  if (end >= size) throw new S3ApiError('InvalidRange', 416, 'The requested range is not satisfiable', { RangeRequested: header, ActualObjectSize: size }, { 'content-range': `bytes */${size}` });
  return { start, end };
}
