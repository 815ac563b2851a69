import { S3ApiError, invalidArgument, invalidRequest, malformedXml, noSuchBucket, noSuchKey } from './s3-api-error.ts';
import type { S3Answer, S3Call } from './s3-call.ts';
import { xmlAnswer } from './s3-call.ts';
import { checkCopyConditions, parseCopySource } from './s3-copy-source.ts';
import { TAGGING_RESOURCE, keptMetadata } from './s3-file-store.ts';
import type { OpenObject } from './s3-file-store.ts';
import { keyProblem } from './s3-key-guard.ts';
import { checkVersionId } from './s3-object-reads.ts';
import { childText, childrenNamed, parseXml, readTextBody, xmlDocument } from './s3-xml.ts';
import type { XmlValue } from './s3-xml.ts';

/** S3's limit on the keys of one DeleteObjects request. */
const DELETE_LIMIT = 1000;

/** The metadata of a written object: S3 keeps `binary/octet-stream` when no content type was given. */
export function metadataOf(call: S3Call): Record<string, string> {
  return { 'content-type': 'binary/octet-stream', ...keptMetadata(call.request.headers) };
}

/** The MD5 a request's `Content-MD5` header gives (hex), to check the body against. */
export function contentMd5(call: S3Call): string | undefined {
  const header = call.header('content-md5');
  if (header === undefined) return undefined;
  const digest = Buffer.from(header, 'base64');
  if (digest.length !== 16 || digest.toString('base64') !== header.trim()) throw new S3ApiError('InvalidDigest', 400, 'The Content-MD5 you specified was not valid.', { 'Content-MD5': header });
  return digest.toString('hex');
}

export async function putObject(call: S3Call): Promise<S3Answer> {
  const { bucket, key } = call;
  const md5 = contentMd5(call);
  const written = await call.store.put(bucket, key, call.request, metadataOf(call), md5 === undefined ? {} : { md5 });
  call.report({ eventName: 'ObjectCreated:Put', bucket, key, size: written.size, eTag: written.eTag });
  return { status: 200, headers: { etag: `"${written.eTag}"` } };
}

/** DeleteObject: 204 whether or not there was an object; only a removal is an event. */
export async function deleteObject(call: S3Call): Promise<S3Answer> {
  checkVersionId(call);
  const { bucket, key } = call;
  if (await call.store.delete(bucket, key)) call.report({ eventName: 'ObjectRemoved:Delete', bucket, key });
  return { status: 204 };
}

/**
 * DeleteObjects (`POST /bucket?delete`, what `aws s3 rm --recursive` sends): each key listed is
 * deleted under an intent of its own and reported as S3 reports it, one `ObjectRemoved:Delete` per
 * object removed. Keys are read from the XML exactly as sent (`007` and ` a ` included).
 */
export async function deleteObjects(call: S3Call): Promise<S3Answer> {
  const root = parseXml(await readTextBody(call.request, 2 * 1024 * 1024));
  const objects = childrenNamed(root, 'Object');
  if (root.name !== 'Delete' || !objects.length || objects.length > DELETE_LIMIT) throw malformedXml();
  const quiet = childText(root, 'Quiet')?.trim() === 'true';
  const deleted: XmlValue[] = [];
  const errors: XmlValue[] = [];
  for (const object of objects) {
    const key = childText(object, 'Key');
    if (key === undefined) throw malformedXml();
    const versionId = childText(object, 'VersionId');
    const problem = key === '' ? { code: 'UserKeyMustBeSpecified', message: 'The request was missing a required header' } : keyProblem(key);
    if (problem || (versionId !== undefined && versionId !== 'null')) {
      errors.push({ Key: key, Code: problem?.code ?? 'NoSuchVersion', Message: problem?.message ?? 'The specified version does not exist.' });
      continue;
    }
    await call.intend({ method: 'DELETE', bucket: call.bucket, key }, async () => {
      if (await call.store.delete(call.bucket, key)) call.report({ eventName: 'ObjectRemoved:Delete', bucket: call.bucket, key });
    });
    if (!quiet) deleted.push({ Key: key });
  }
  return xmlAnswer(xmlDocument('DeleteResult', { Deleted: deleted, Error: errors }));
}

/** Opens the object a copy reads, or says why not (NoSuchBucket, NoSuchKey, a failed x-amz-copy-source-if-*). */
export async function openCopySource(call: S3Call): Promise<{ bucket: string; key: string; object: OpenObject }> {
  const source = parseCopySource(call.header('x-amz-copy-source') ?? '');
  if (!(await call.store.bucketCreated(source.bucket))) throw noSuchBucket(source.bucket);
  const object = await call.store.open(source.bucket, source.key);
  if (!object) throw noSuchKey(source.key);
  try {
    checkCopyConditions((name) => call.header(name), object.info);
  } catch (error) {
    await object.close();
    throw error;
  }
  return { ...source, object };
}

/**
 * CopyObject (PUT with `x-amz-copy-source`): the source's content, and its metadata and tags
 * (`x-amz-metadata-directive: COPY`, the default) or the request's (`REPLACE`).
 */
export async function copyObject(call: S3Call): Promise<S3Answer> {
  const { bucket, key } = call;
  const directive = (call.header('x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  const source = await openCopySource(call);
  // Read before the write: a copy onto itself (REPLACE) drops the old version's tags with it.
  const tags = (call.header('x-amz-tagging-directive') ?? 'COPY').toUpperCase() === 'COPY' ? await call.store.readResource(source.bucket, source.key, TAGGING_RESOURCE) : undefined;
  let written: { size: number; eTag: string };
  try {
    if (source.bucket === bucket && source.key === key && directive === 'COPY') {
      throw invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    }
    const metadata = directive === 'REPLACE' ? metadataOf(call) : source.object.info.metadata;
    written = await call.store.put(bucket, key, source.object.read(), metadata);
  } catch (error) {
    await source.object.close().catch(() => undefined); // already closed when it was read
    throw error;
  }
  if (tags !== undefined) await call.store.writeResource(bucket, key, TAGGING_RESOURCE, tags);
  const lastModified = (await call.store.head(bucket, key))?.lastModified ?? new Date();
  call.report({ eventName: 'ObjectCreated:Copy', bucket, key, size: written.size, eTag: written.eTag });
  return xmlAnswer(xmlDocument('CopyObjectResult', { LastModified: lastModified.toISOString(), ETag: `"${written.eTag}"` }));
}
