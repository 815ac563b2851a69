import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatJsonSchema, pipelineJsonSchema } from '../docs/json-schema.ts';
import { PIPELINE_SCHEMA_FILE } from '../docs/generated-docs.ts';
import { renderOptionsTable, replaceOptionsSection } from '../docs/options-table.ts';
import { loadProjectRegistry } from '../project/project-handlers.ts';
import { handlerEntry } from '../project/project-modules.ts';

/**
 * After a handler is added: its README's options table from its spec, and the pipeline JSON
 * Schema with it, so editors complete its name and options at once (what `npm run docs` does).
 * Returns the files written, relative to the project root.
 */
export async function refreshHandlerDocs(projectRoot: string, name: string): Promise<string[]> {
  const registry = await loadProjectRegistry(projectRoot);
  const written: string[] = [];
  const handler = registry.get(name);
  const readmeFile = join(handlerEntry(name), '..', 'README.md');
  if (handler && existsSync(join(projectRoot, readmeFile))) {
    const readme = await readFile(join(projectRoot, readmeFile), 'utf8');
    const updated = replaceOptionsSection(readme, renderOptionsTable(handler.spec), readmeFile);
    if (updated !== readme) {
      await writeFile(join(projectRoot, readmeFile), updated);
      written.push(readmeFile);
    }
  }
  const schemaFile = join(projectRoot, PIPELINE_SCHEMA_FILE);
  if (existsSync(schemaFile)) {
    const schema = formatJsonSchema(pipelineJsonSchema(registry));
    if ((await readFile(schemaFile, 'utf8')) !== schema) {
      await writeFile(schemaFile, schema);
      written.push(PIPELINE_SCHEMA_FILE);
    }
  }
  return written;
}
