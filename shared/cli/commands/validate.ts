import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadPipelines } from '../../pipeline/load.ts';
import { DEFAULT_PIPELINES_DIR } from '../options.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .argument('[DIR]', 'folder of pipeline definitions', DEFAULT_PIPELINES_DIR)
    .description('check every pipeline definition; prints each problem as file:line:column: message')
    .action(async (dir: string) => {
      const pipelines = await loadPipelines(resolve(dir));
      console.log(`${pipelines.length} pipeline(s) valid: ${pipelines.map((p) => p.name).join(', ')}`);
    });
}
