import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HandlerRegistry } from '../../engine/registry.ts';
import { resourcesSpec } from '../../engine/pipeline/resources.ts';
import { configJsonSchema, formatJsonSchema, pipelineJsonSchema } from './json-schema.ts';
import { ConfigError } from '../../contract/errors.ts';
import { OPTIONS_END, OPTIONS_START, renderOptionsTable, replaceOptionsSection } from './options-table.ts';

/**
 * The files `npm run docs` keeps in step with the config specs. They are committed, so editors
 * and readers on GitHub see them without running anything; a test fails when one is stale.
 */

/** Where the pipeline JSON Schema is committed, beside the pipelines that point to it. */
export const PIPELINE_SCHEMA_FILE = 'pipelines/pipeline.schema.json';

/** The first line of every shipped pipeline: yaml-language-server finds the schema through it. */
export const SCHEMA_MODELINE = '# yaml-language-server: $schema=./pipeline.schema.json';

/** The same for `resources.yml`, the project's buckets and tables. */
export const RESOURCES_SCHEMA_FILE = 'pipelines/resources.schema.json';
export const RESOURCES_MODELINE = '# yaml-language-server: $schema=./resources.schema.json';

export interface GeneratedDoc {
  /** Relative to the project root, with `/`. */
  file: string;
  content: string;
}

/** Every generated file with the content it should have now. A handler's README is `handlers/<name>/README.md`. */
export async function generateDocs(root: string, registry: HandlerRegistry): Promise<GeneratedDoc[]> {
  const resourcesSchema = { ...configJsonSchema(resourcesSpec), $id: 'urn:sluice:resources', title: 'Sluice resources' };
  const docs: GeneratedDoc[] = [
    { file: PIPELINE_SCHEMA_FILE, content: formatJsonSchema(pipelineJsonSchema(registry)) },
    { file: RESOURCES_SCHEMA_FILE, content: formatJsonSchema(resourcesSchema) },
  ];
  for (const handler of registry.values()) {
    const file = `handlers/${handler.name}/README.md`;
    const readme = await readFile(join(root, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      throw new ConfigError([{ file, line: 1, column: 1, path: '', message: `missing: every handler has a README, with its options table between ${OPTIONS_START} and ${OPTIONS_END} (sluice new handler writes one)` }]);
    });
    docs.push({ file, content: replaceOptionsSection(readme, renderOptionsTable(handler.spec), file) });
  }
  return docs;
}
