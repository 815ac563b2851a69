import type { Command } from 'commander';
import { handlerFolder } from '../../scaffold/fork-handler.ts';
import { newHandler } from '../../scaffold/new-handler.ts';
import { refreshHandlerDocs } from '../../scaffold/refresh-docs.ts';
import { commandProjectRoot } from './fork.ts';

export function registerNew(program: Command): void {
  const create = program.command('new').description('add something to the project');
  create
    .command('handler')
    .argument('<NAME>', 'the handler\'s name, in kebab-case (e.g. add-header): its folder, its name in pipelines')
    .description('scaffold a handler in handlers/NAME/ (spec.ts, core.ts, index.ts, README.md, test/index.test.ts); it works as written (it labels each object) and pipelines can use NAME at once')
    .action(async (name: string) => {
      const root = commandProjectRoot();
      const files = await newHandler(root, name);
      const docs = await refreshHandlerDocs(root, name);
      console.log(`created handler ${name}:`);
      for (const file of files) console.log(`  ${file}`);
      for (const file of docs.filter((doc) => !files.includes(doc))) console.log(`  updated ${file}`);
      console.log(`next: write its options in ${handlerFolder(name)}/spec.ts and its work in ${handlerFolder(name)}/core.ts, run npx vitest run ${handlerFolder(name)}, use it in a pipeline as "- ${name}: { ... }"`);
    });
}
