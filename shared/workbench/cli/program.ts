import { Command } from 'commander';
import { registerCost } from './commands/cost.ts';
import { registerDev } from './commands/dev.ts';
import { registerEvents } from './commands/events.ts';
import { registerFork } from './commands/fork.ts';
import { registerGraph } from './commands/graph.ts';
import { registerInvoke } from './commands/invoke.ts';
import { registerLs } from './commands/ls.ts';
import { registerNew } from './commands/new.ts';
import { registerRun } from './commands/run.ts';
import { registerScan } from './commands/scan.ts';
import { registerSchema } from './commands/schema.ts';
import { registerTest } from './commands/test.ts';
import { registerValidate } from './commands/validate.ts';

/** The `sluice` command with every subcommand registered: what `bin/sluice.js` runs, and what the docs' command examples are checked against. */
export function createProgram(): Command {
  const program = new Command('sluice')
    .description('Event-driven data pipelines for AWS Lambda, run locally on embedded S3.')
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true });
  for (const register of [registerRun, registerDev, registerLs, registerScan, registerValidate, registerTest, registerGraph, registerInvoke, registerEvents, registerSchema, registerCost, registerFork, registerNew]) register(program);
  return program;
}
