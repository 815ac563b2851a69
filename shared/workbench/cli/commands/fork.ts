import { resolve } from 'node:path';
import type { Command } from 'commander';
import { findProjectRoot } from '../../project/project-handlers.ts';
import { forkHandler, handlerFolder, testsFolder } from '../../scaffold/fork-handler.ts';
import { refreshHandlerDocs } from '../../scaffold/refresh-docs.ts';
import { DEFAULT_PIPELINES_DIR } from '../options.ts';

/** The project the command works in: the one the pipelines folder belongs to (see findProjectRoot). */
export const commandProjectRoot = () => findProjectRoot(resolve(DEFAULT_PIPELINES_DIR));

/** The files of `folder`, but those of `apart` (a folder inside it, listed on its own line). */
function listFolder(files: readonly string[], folder: string, apart?: string): string {
  const inside = files.filter((file) => file.startsWith(`${folder}/`) && !(apart && file.startsWith(`${apart}/`))).map((file) => file.slice(folder.length + 1));
  return `  ${folder}/ (${inside.length} file${inside.length === 1 ? '' : 's'}): ${inside.join(', ')}`;
}

export function registerFork(program: Command): void {
  program
    .command('fork')
    .argument('<HANDLER>', 'the handler to copy, e.g. resize')
    .requiredOption('--as <NAME>', 'the name of the copy, in kebab-case (e.g. watermark): its folder, its name in pipelines')
    .description('copy a handler into the project under a new name: its folder (core, spec, entry, README, tests) to handlers/NAME/, renamed; pipelines can use NAME at once')
    .action(async (handler: string, options: { as: string }) => {
      const root = commandProjectRoot();
      const { files, renames } = await forkHandler(root, handler, options.as);
      const docs = await refreshHandlerDocs(root, options.as);
      console.log(`forked ${handler} as ${options.as}:`);
      console.log(listFolder(files, handlerFolder(options.as), testsFolder(options.as)));
      console.log(listFolder(files, testsFolder(options.as)));
      if (renames.size) console.log(`  renamed: ${[...renames].map(([from, to]) => `${from} → ${to}`).join(', ')}`);
      for (const file of docs) console.log(`  updated ${file}`);
      console.log(`next: use it in a pipeline as "- ${options.as}: { ... }", change ${handlerFolder(options.as)}/, run its tests (npx vitest run ${handlerFolder(options.as)}) and sluice validate`);
    });
}
