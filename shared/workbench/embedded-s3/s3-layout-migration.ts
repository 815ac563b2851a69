import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { access, readFile, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { S3FileStore } from './s3-file-store.ts';
import { TAGGING_RESOURCE } from './s3-file-store.ts';

/** How s3rver (Sluice's store before this layout) named an object's files: `<last segment>._S3rver_<resource>`. */
const OLD_MARK = '._S3rver_';
const OLD_OBJECT = `${OLD_MARK}object`;
/** Written in the store's folder once its objects are in this layout (no bucket is named with `@`). */
const LAYOUT_FILE = '@layout';
const LAYOUT = 'keys encoded (s3-key-paths.ts), version 1\n';

async function entriesOf(folder: string): Promise<Dirent[]> {
  return readdir(folder, { withFileTypes: true }).catch(() => []);
}

/** s3rver's own escaping of a key's characters on Windows (`&3c` for `<`). */
const decodeOldPath = (path: string) => (process.platform === 'win32' ? path.replace(/&[0-9a-f]{2}/g, (escaped) => Buffer.from(escaped.slice(1), 'hex').toString()) : path);

/**
 * Moves objects kept in s3rver's layout (a data folder written by Sluice before this store) into
 * this store's, in place, so that an existing `.sluice/` keeps its objects, their metadata and
 * eTags and their tags. s3rver kept a key's segments as folders and its last segment in the file
 * names, so each key reads back exactly from its path. Each object is moved as the store commits a
 * write (its sidecar first, its content renamed last): a run killed midway leaves objects either
 * moved or still in the old layout (moved at the next start), never lost. Multipart uploads left
 * in progress are not carried over. Returns how many objects were moved.
 */
export async function migrateS3rverLayout(directory: string, store: S3FileStore): Promise<number> {
  const done = join(directory, LAYOUT_FILE);
  if (await access(done).then(() => true, () => false)) return 0;
  let moved = 0;
  for (const bucket of await entriesOf(directory)) {
    if (!bucket.isDirectory()) continue;
    const top = join(directory, bucket.name);
    if (!(await hasOldObjects(top))) continue;
    await rm(join(top, `${OLD_MARK}uploads`), { recursive: true, force: true });
    for (const setting of ['cors', 'website']) {
      const file = join(top, `${OLD_MARK}${setting}.xml`);
      const xml = await readFile(file, 'utf8').catch(() => undefined);
      if (xml === undefined) continue;
      await store.writeResource(bucket.name, undefined, `${setting}.xml`, xml);
      await rm(file, { force: true });
    }
    moved += await moveObjects(store, bucket.name, top, top);
  }
  await writeFile(done, LAYOUT);
  return moved;
}

async function hasOldObjects(folder: string): Promise<boolean> {
  for (const entry of await entriesOf(folder)) {
    if (entry.isFile() && entry.name.endsWith(OLD_OBJECT)) return true;
    if (entry.isDirectory() && (await hasOldObjects(join(folder, entry.name)))) return true;
  }
  return false;
}

async function moveObjects(store: S3FileStore, bucket: string, top: string, folder: string): Promise<number> {
  let moved = 0;
  for (const entry of await entriesOf(folder)) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      moved += await moveObjects(store, bucket, top, path);
      await rmdir(path).catch(() => undefined); // emptied by the move; a folder of the new layout stays
      continue;
    }
    if (!entry.name.endsWith(OLD_OBJECT)) continue;
    const base = path.slice(0, -OLD_OBJECT.length);
    const key = decodeOldPath(relative(top, base).split(sep).join('/')) + (entry.name === OLD_OBJECT ? '/' : '');
    const metadata = JSON.parse(await readFile(`${base}${OLD_MARK}metadata.json`, 'utf8').catch(() => '{}')) as Record<string, string>;
    // s3rver wrote an object's MD5 file at its first read, if not at its write.
    const eTag = await readFile(`${base}${OLD_OBJECT}.md5`, 'utf8').catch(async () => createHash('md5').update(await readFile(path)).digest('hex'));
    const tagging = await readFile(`${base}${OLD_MARK}tagging.xml`, 'utf8').catch(() => undefined);
    // The content file itself is moved (a rename: same inode), its new sidecar written first.
    await store.commit(bucket, key, path, { eTag, metadata });
    if (tagging !== undefined) await store.writeResource(bucket, key, TAGGING_RESOURCE, tagging);
    for (const resource of ['object.md5', 'metadata.json', 'tagging.xml']) await rm(`${base}${OLD_MARK}${resource}`, { force: true });
    moved++;
  }
  return moved;
}
