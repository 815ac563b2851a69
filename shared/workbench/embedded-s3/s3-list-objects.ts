import { invalidArgument } from './s3-api-error.ts';
import type { S3Answer, S3Call } from './s3-call.ts';
import { xmlAnswer } from './s3-call.ts';
import type { ObjectInfo, S3FileStore } from './s3-file-store.ts';
import type { XmlValue } from './s3-xml.ts';
import { xmlDocument } from './s3-xml.ts';

/** S3 answers at most this many keys and common prefixes a page, whatever max-keys asks. */
const PAGE = 1000;
const OWNER = { ID: '123456789000', DisplayName: 'sluice' };
/** Objects looked at in parallel for a page's sizes and eTags (open files at once). */
const AT_ONCE = 32;

/** A page of a listing: keys and common prefixes, in order, as UTF-8 bytes. */
export interface ListedPage {
  items: { key?: Buffer; prefix?: Buffer }[];
  truncated: boolean;
}

/**
 * The keys and common prefixes S3 lists: keys under `prefix`, in UTF-8 byte order; with a
 * `delimiter`, the keys holding it after the prefix rolled up into one common prefix each (up to
 * and with the delimiter), keys and prefixes counted together against `maxKeys`; only what comes
 * after `after` (a marker, StartAfter, or where the last page ended: a key or a common prefix, so a
 * prefix that ended a page is not listed again on the next).
 */
export async function listPage(store: S3FileStore, bucket: string, options: { prefix: string; delimiter?: string; after?: Buffer; maxKeys: number }): Promise<ListedPage> {
  const items: ListedPage['items'] = [];
  if (options.maxKeys === 0) return { items, truncated: false };
  const walk = store.walk(bucket, options.prefix, options.after);
  const from = Buffer.byteLength(options.prefix);
  const delimiter = options.delimiter ? Buffer.from(options.delimiter, 'utf8') : undefined;
  for (let key = await walk.next(); key; key = await walk.next()) {
    let item: ListedPage['items'][number] = { key };
    const at = delimiter ? key.indexOf(delimiter, from) : -1;
    if (delimiter && at !== -1) {
      const prefix = key.subarray(0, at + delimiter.length);
      walk.skip(prefix);
      if (options.after && prefix.compare(options.after) <= 0) continue;
      item = { prefix };
    }
    if (items.length === options.maxKeys) return { items, truncated: true };
    items.push(item);
  }
  return { items, truncated: false };
}

/** Continuation tokens are opaque to clients: the bucket and where the page ended. */
function continuationToken(bucket: string, last: Buffer): string {
  return Buffer.concat([Buffer.from([1]), Buffer.from(bucket), Buffer.from([0]), last]).toString('base64');
}

function readContinuationToken(bucket: string, token: string): Buffer {
  const bytes = Buffer.from(token, 'base64');
  const zero = bytes.indexOf(0);
  if (bytes[0] !== 1 || zero === -1 || bytes.subarray(1, zero).toString() !== bucket) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return bytes.subarray(zero + 1);
}

/** `encoding-type=url`: S3 percent-encodes key names in the answer (all but unreserved characters and `/`). */
const urlEncode = (text: string) => encodeURIComponent(text).replace(/%2F/g, '/').replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

function maxKeysOf(raw: string | null): number {
  if (raw === null) return PAGE;
  if (!/^\d+$/.test(raw)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', raw);
  const value = Number(raw);
  if (value > 2147483647) throw invalidArgument('Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', raw);
  return Math.min(PAGE, value);
}

async function infoOf(store: S3FileStore, bucket: string, keys: string[]): Promise<(ObjectInfo | undefined)[]> {
  const infos: (ObjectInfo | undefined)[] = [];
  for (let i = 0; i < keys.length; i += AT_ONCE) infos.push(...(await Promise.all(keys.slice(i, i + AT_ONCE).map((key) => store.head(bucket, key)))));
  return infos;
}

/** ListObjects (v1, markers) and ListObjectsV2 (`list-type=2`, continuation tokens): GET on a bucket. */
export async function listObjects(call: S3Call): Promise<S3Answer> {
  const { query, bucket, store } = call;
  const v2 = query.get('list-type') === '2';
  const encodingType = query.get('encoding-type') ?? undefined;
  if (encodingType !== undefined && encodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  const encode = encodingType ? urlEncode : (text: string) => text;
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') || undefined;
  const maxKeys = maxKeysOf(query.get('max-keys'));
  const token = query.get('continuation-token');
  const startAfter = query.get('start-after');
  const marker = query.get('marker');
  if (v2 && marker !== null) throw invalidArgument('Marker unsupported with REST.GET.BUCKET in list-type=2', 'marker');
  if (!v2 && token !== null) throw invalidArgument('continuation-token only supported in REST.GET.BUCKET with list-type=2', 'continuation-token');
  const after = v2 ? (token ? readContinuationToken(bucket, token) : startAfter ? Buffer.from(startAfter) : undefined) : marker ? Buffer.from(marker) : undefined;

  const page = await listPage(store, bucket, { prefix, maxKeys, ...(delimiter ? { delimiter } : {}), ...(after ? { after } : {}) });
  const keys = page.items.flatMap((item) => (item.key ? [item.key.toString('utf8')] : []));
  const infos = await infoOf(store, bucket, keys);
  const owner = !v2 || query.get('fetch-owner') === 'true' ? OWNER : undefined;
  const contents: XmlValue[] = [];
  keys.forEach((key, i) => {
    const info = infos[i];
    // An object deleted since the walk found it is not listed.
    if (info) contents.push({ Key: encode(key), LastModified: info.lastModified.toISOString(), ETag: `"${info.eTag}"`, Size: info.size, Owner: owner, StorageClass: 'STANDARD' });
  });
  const commonPrefixes = page.items.flatMap((item) => (item.prefix ? [{ Prefix: encode(item.prefix.toString('utf8')) }] : []));
  const last = page.items[page.items.length - 1];
  const lastBytes = last?.key ?? last?.prefix;
  const common = { Name: bucket, Prefix: encode(prefix), Delimiter: delimiter === undefined ? undefined : encode(delimiter), MaxKeys: query.get('max-keys') ?? PAGE, EncodingType: encodingType };
  const listing = v2
    ? {
        ...common,
        KeyCount: contents.length + commonPrefixes.length,
        IsTruncated: page.truncated,
        ContinuationToken: token ?? undefined,
        NextContinuationToken: page.truncated && lastBytes ? continuationToken(bucket, lastBytes) : undefined,
        StartAfter: startAfter === null ? undefined : encode(startAfter),
      }
    : {
        ...common,
        Marker: encode(marker ?? ''),
        // S3 gives NextMarker only with a delimiter; without, the last key is the next marker.
        NextMarker: page.truncated && delimiter !== undefined && lastBytes ? encode(lastBytes.toString('utf8')) : undefined,
        IsTruncated: page.truncated,
      };
  return xmlAnswer(xmlDocument('ListBucketResult', { ...listing, Contents: contents, CommonPrefixes: commonPrefixes }));
}

/** HeadBucket: the bucket exists (the caller checked), in the one region. */
export function headBucket(): S3Answer {
  return { status: 200, headers: { 'x-amz-bucket-region': 'us-east-1' } };
}
