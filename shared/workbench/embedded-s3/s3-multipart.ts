import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { S3ApiError, invalidArgument, malformedXml, noSuchUpload } from './s3-api-error.ts';
import { moveInto } from './s3-atomic-store.ts';
import type { S3Answer, S3Call } from './s3-call.ts';
import { xmlAnswer } from './s3-call.ts';
import { parseCopySourceRange } from './s3-copy-source.ts';
import { contentMd5, metadataOf, openCopySource } from './s3-object-writes.ts';
import { childText, childrenNamed, parseXml, readTextBody, xmlDocument } from './s3-xml.ts';

/** S3's smallest part, but for the last. */
const MIN_PART_BYTES = 5 * 1024 * 1024;
const UPLOAD_FILE = 'upload.json';

/**
 * Multipart uploads, kept in `<bucket>/@uploads/<upload id>/`: what the upload will create
 * (`upload.json`: its key and metadata) and each part as `<part number>-<its MD5>`, renamed into
 * place whole, so that CompleteMultipartUpload finds exactly the part each listed ETag names, as S3
 * does, even when a part was uploaded twice.
 */
interface Upload {
  key: string;
  metadata: Record<string, string>;
}

function uploadIdOf(call: S3Call): string {
  return call.query.get('uploadId') ?? '';
}

async function readUpload(call: S3Call): Promise<{ folder: string; upload: Upload }> {
  const uploadId = uploadIdOf(call);
  const folder = call.store.uploadFolder(call.bucket, uploadId);
  const text = await readFile(join(folder, UPLOAD_FILE), 'utf8').catch(() => undefined);
  const upload = text === undefined ? undefined : (JSON.parse(text) as Upload);
  // An upload of another key is not this key's, as S3 says.
  if (!upload || upload.key !== call.key) throw noSuchUpload(uploadId);
  return { folder, upload };
}

function partNumberOf(call: S3Call): number {
  const raw = call.query.get('partNumber') ?? '';
  const number = /^\d{1,5}$/.test(raw) ? Number(raw) : 0;
  if (number < 1 || number > 10000) throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
  return number;
}

/** CreateMultipartUpload (`POST ?uploads`). */
export async function createMultipartUpload(call: S3Call): Promise<S3Answer> {
  const uploadId = randomBytes(16).toString('hex');
  const folder = call.store.uploadFolder(call.bucket, uploadId);
  await mkdir(folder, { recursive: true });
  const upload: Upload = { key: call.key, metadata: metadataOf(call) };
  await call.store.writing.replace(join(folder, UPLOAD_FILE), JSON.stringify(upload));
  return xmlAnswer(xmlDocument('InitiateMultipartUploadResult', { Bucket: call.bucket, Key: call.key, UploadId: uploadId }));
}

/** Renames a written part into its upload's folder, if the upload is still there. */
async function placePart(call: S3Call, folder: string, number: number, written: { file: string; md5: Buffer }): Promise<string> {
  const eTag = written.md5.toString('hex');
  try {
    await stat(join(folder, UPLOAD_FILE)).catch(() => {
      throw noSuchUpload(uploadIdOf(call)); // aborted or completed meanwhile
    });
    await moveInto(written.file, join(folder, `${number}-${eTag}`));
  } catch (error) {
    await rm(written.file, { force: true });
    throw error;
  }
  return eTag;
}

/** UploadPart (`PUT ?partNumber=N&uploadId=...`). */
export async function uploadPart(call: S3Call): Promise<S3Answer> {
  const { folder } = await readUpload(call);
  const number = partNumberOf(call);
  const md5 = contentMd5(call);
  const written = await call.store.writing.write(call.request);
  if (md5 !== undefined && md5 !== written.md5.toString('hex')) {
    await rm(written.file, { force: true });
    throw new S3ApiError('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
  }
  const eTag = await placePart(call, folder, number, written);
  return { status: 200, headers: { etag: `"${eTag}"` } };
}

/**
 * UploadPartCopy (`PUT ?partNumber=N&uploadId=...` with `x-amz-copy-source`, and optionally
 * `x-amz-copy-source-range: bytes=first-last`): a part copied from an object, what the AWS CLI and
 * boto3 send for every copy above their multipart threshold (8 MB).
 */
export async function uploadPartCopy(call: S3Call): Promise<S3Answer> {
  const { folder } = await readUpload(call);
  const number = partNumberOf(call);
  const source = await openCopySource(call);
  let written: { file: string; md5: Buffer };
  try {
    const range = parseCopySourceRange(call.header('x-amz-copy-source-range'), source.object.info.size);
    written = await call.store.writing.write(source.object.read(range));
  } catch (error) {
    await source.object.close().catch(() => undefined);
    throw error;
  }
  const eTag = await placePart(call, folder, number, written);
  return xmlAnswer(xmlDocument('CopyPartResult', { LastModified: new Date().toISOString(), ETag: `"${eTag}"` }));
}

/** The parts a CompleteMultipartUpload request lists, in its order. */
function listedParts(xml: string): { number: number; eTag: string }[] {
  const root = parseXml(xml);
  const parts = childrenNamed(root, 'Part');
  if (root.name !== 'CompleteMultipartUpload' || !parts.length) throw malformedXml();
  return parts.map((part) => {
    const number = childText(part, 'PartNumber')?.trim() ?? '';
    const eTag = childText(part, 'ETag');
    if (!/^\d+$/.test(number) || eTag === undefined) throw malformedXml();
    return { number: Number(number), eTag: eTag.trim().replace(/"/g, '') };
  });
}

/**
 * CompleteMultipartUpload (`POST ?uploadId=...`): the listed parts, checked as S3 checks them (in
 * ascending order, each uploaded with that ETag, each but the last at least 5 MiB), joined into the
 * object; its ETag is S3's for a multipart upload, the MD5 of the parts' MD5s and the number of parts.
 */
export async function completeMultipartUpload(call: S3Call): Promise<S3Answer> {
  const { folder, upload } = await readUpload(call);
  const parts = listedParts(await readTextBody(call.request, 2 * 1024 * 1024));
  const files: string[] = [];
  const digests: Buffer[] = [];
  if (parts.some((part, index) => index > 0 && part.number <= parts[index - 1]!.number)) {
    throw new S3ApiError('InvalidPartOrder', 400, 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', { UploadId: uploadIdOf(call) });
  }
  for (const [index, part] of parts.entries()) {
    const file = join(folder, `${part.number}-${part.eTag}`);
    const info = /^[0-9a-f]{32}$/.test(part.eTag) ? await stat(file).catch(() => undefined) : undefined;
    if (!info) {
      throw new S3ApiError('InvalidPart', 400, "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.", { UploadId: uploadIdOf(call), PartNumber: part.number, ETag: part.eTag });
    }
    if (index < parts.length - 1 && info.size < MIN_PART_BYTES) {
      throw new S3ApiError('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.', { ProposedSize: info.size, MinSizeAllowed: MIN_PART_BYTES, PartNumber: part.number, ETag: part.eTag });
    }
    files.push(file);
    digests.push(Buffer.from(part.eTag, 'hex'));
  }
  const eTag = `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${parts.length}`;
  const content = Readable.from(
    (async function* () {
      for (const file of files) yield* createReadStream(file);
    })(),
  );
  const written = await call.store.put(call.bucket, call.key, content, upload.metadata, { eTag });
  await rm(folder, { recursive: true, force: true });
  call.report({ eventName: 'ObjectCreated:CompleteMultipartUpload', bucket: call.bucket, key: call.key, size: written.size, eTag });
  const host = call.header('host') ?? '127.0.0.1';
  const location = `http://${host}/${encodeURIComponent(call.bucket)}/${call.key.split('/').map(encodeURIComponent).join('/')}`;
  return xmlAnswer(xmlDocument('CompleteMultipartUploadResult', { Location: location, Bucket: call.bucket, Key: call.key, ETag: `"${eTag}"` }));
}

/** AbortMultipartUpload (`DELETE ?uploadId=...`). */
export async function abortMultipartUpload(call: S3Call): Promise<S3Answer> {
  const { folder } = await readUpload(call);
  await rm(folder, { recursive: true, force: true });
  return { status: 204 };
}

