import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/** One file of a function's package: where it goes in the zip, and where it is now. */
export interface ArtifactFile {
  path: string;
  source: string;
}

// Fixed times and order: the same code gives the same zip, so a deploy with nothing changed
// uploads nothing new and CloudFormation leaves the function alone.
const FIXED_TIME = new Date('2020-01-01T00:00:00Z');

/** Every file under `dir`, as paths under `into` in the zip. */
export async function filesUnder(dir: string, into: string): Promise<ArtifactFile[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const source = join(entry.parentPath, entry.name);
      return { source, path: posix.join(into, source.slice(dir.length + 1).split(/[\\/]/).join('/')) };
    });
}

export async function writeZip(zipFile: string, files: readonly ArtifactFile[]): Promise<void> {
  await mkdir(dirname(zipFile), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    // Native libraries need their execute bit kept as the package shipped them; the rest is read-only data.
    const executable = /\.(node|so(\.\d+)*)$/.test(file.path);
    zip.addBuffer(await readFile(file.source), file.path, { mtime: FIXED_TIME, mode: executable ? 0o100755 : 0o100644 });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipFile));
}
