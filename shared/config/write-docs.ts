import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { builtInHandlers } from '../handlers/registry.ts';
import { generateDocs } from './generated-docs.ts';

/** `npm run docs`: rewrites the JSON Schema and the README options tables from the config specs. */

const root = resolve(import.meta.dirname, '../..');

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

for (const doc of await generateDocs(root, builtInHandlers)) {
  const path = join(root, doc.file);
  // Only touch what changed, so file times and `git status` say what the specs actually changed.
  if ((await readIfExists(path)) === doc.content) {
    console.log(`up to date  ${doc.file}`);
    continue;
  }
  await writeFile(path, doc.content);
  console.log(`written     ${doc.file}`);
}
