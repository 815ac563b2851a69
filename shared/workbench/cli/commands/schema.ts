import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatJsonSchema, pipelineJsonSchema } from '../../docs/json-schema.ts';
import { findProjectRoot, loadProjectRegistry } from '../../project/project-handlers.ts';
import { DEFAULT_PIPELINES_DIR } from '../options.ts';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of pipeline files (with the options of every handler: built-in and the project\'s own), for editor completion and checks')
    .option('--out <FILE>', 'write it to FILE instead of printing it')
    .option('--pipelines <DIR>', 'folder of pipeline definitions; the project it belongs to is searched for handlers', DEFAULT_PIPELINES_DIR)
    .action(async (options: { out?: string; pipelines: string }) => {
      const registry = await loadProjectRegistry(findProjectRoot(resolve(options.pipelines)));
      const text = formatJsonSchema(pipelineJsonSchema(registry));
      if (!options.out) {
        process.stdout.write(text);
        return;
      }
      await writeFile(resolve(options.out), text);
      console.log(`wrote ${options.out}`);
    });
}
