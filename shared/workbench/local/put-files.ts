import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import mime from 'mime';
import { SluiceError, UsageError } from '../../contract/errors.ts';
import { putObject } from '../../engine/runtime/object-io.ts';
import { keyProblem } from '../embedded-s3/s3-key-guard.ts';

export interface PutSpec {
  bucket: string;
  /** Key prefix, with its trailing slash, or '' */
  prefix: string;
  path: string;
}

/** Parses `BUCKET[/PREFIX]=PATH` as given to `--put`. */
export function parsePutSpec(spec: string): PutSpec {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--put expects BUCKET[/PREFIX]=PATH, found "${spec}"`);
  const target = spec.slice(0, eq);
  const path = spec.slice(eq + 1);
  const slash = target.indexOf('/');
  const bucket = slash === -1 ? target : target.slice(0, slash);
  let prefix = slash === -1 ? '' : target.slice(slash + 1);
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  return { bucket, prefix, path };
}

async function listFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UsageError(`--put: no such file or folder: ${path}`);
  if (info.isFile()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Uploads a file (key = its name) or a folder (keys = paths relative to it) through the S3 API,
 * so that the uploads trigger pipelines exactly as any other client's would.
 */
export async function putFiles(s3: S3Client, spec: PutSpec): Promise<{ bucket: string; key: string }[]> {
  const files = await listFiles(spec.path);
  const root = (await stat(spec.path)).isFile() ? undefined : spec.path;
  const planned = files.map((file) => ({ file, key: spec.prefix + (root ? relative(root, file).split(sep).join('/') : basename(file)) }));
  // Every key is checked before anything is uploaded: a folder goes up whole, or not at all.
  for (const { file, key } of planned) {
    const problem = keyProblem(key);
    if (problem) throw new UsageError(`--put: ${file} cannot be uploaded as ${spec.bucket}/${JSON.stringify(key).slice(1, -1)}: ${problem.message}`);
  }
  const uploaded: { bucket: string; key: string }[] = [];
  for (const { file, key } of planned) {
    const contentType = mime.getType(file) ?? 'application/octet-stream';
    try {
      await putObject(s3, { bucket: spec.bucket, key, body: createReadStream(file), contentType });
    } catch (error) {
      throw new SluiceError('PUT_FAILED', `--put: could not upload ${file} as ${spec.bucket}/${key}: ${(error as Error).message}`, { cause: error });
    }
    uploaded.push({ bucket: spec.bucket, key });
  }
  return uploaded;
}
