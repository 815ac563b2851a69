import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, formatConfigIssue } from '../../contract/errors.ts';
import { loadProjectRegistry } from '../project/project-handlers.ts';
import { generateDocs } from './generated-docs.ts';

/** `npm run docs`: rewrites the JSON Schema and the README options tables from the config specs. */

const root = resolve(import.meta.dirname, '../../..');

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

let registry;
try {
  // The project's own handlers (handlers/<name>/) get their README table and their place in the schema too.
  registry = await loadProjectRegistry(root, process.cwd());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.issues.map(formatConfigIssue).join('\n'));
  process.exit(1);
}

for (const doc of await generateDocs(root, registry)) {
  const path = join(root, doc.file);
  // Only touch what changed, so file times and `git status` say what the specs actually changed.
  if ((await readIfExists(path)) === doc.content) {
    console.log(`up to date  ${doc.file}`);
    continue;
  }
  await writeFile(path, doc.content);
  console.log(`written     ${doc.file}`);
}
