import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatJsonSchema, pipelineJsonSchema } from '../../config/json-schema.ts';
import { builtInHandlers } from '../../handlers/registry.ts';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of pipeline files (with every handler\'s options), for editor completion and checks')
    .option('--out <FILE>', 'write it to FILE instead of printing it')
    .action(async (options: { out?: string }) => {
      const text = formatJsonSchema(pipelineJsonSchema(builtInHandlers));
      if (!options.out) {
        process.stdout.write(text);
        return;
      }
      await writeFile(resolve(options.out), text);
      console.log(`wrote ${options.out}`);
    });
}
