import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadProject } from '../../pipeline/load.ts';
import { DEFAULT_PIPELINES_DIR } from '../options.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .argument('[DIR]', 'folder of pipeline definitions and their resources.yml', DEFAULT_PIPELINES_DIR)
    .description('check every pipeline definition and the project (declared resources, trigger cycles); prints each problem as file:line:column: message')
    .action(async (dir: string) => {
      const { pipelines, resources } = await loadProject(resolve(dir));
      const buckets = Object.keys(resources.buckets);
      console.log(`${pipelines.length} pipeline(s) valid: ${pipelines.map((p) => p.name).join(', ')}; ${buckets.length} bucket(s) declared`);
    });
}
