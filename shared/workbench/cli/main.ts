import { Command } from 'commander';
import { ConfigError, SluiceError, formatConfigIssue } from '../../contract/errors.ts';
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

const program = new Command('sluice')
  .description('Event-driven data pipelines for AWS Lambda, run locally on embedded S3.')
  .showHelpAfterError()
  .configureHelp({ showGlobalOptions: true });

registerRun(program);
registerDev(program);
registerLs(program);
registerScan(program);
registerValidate(program);
registerTest(program);
registerGraph(program);
registerInvoke(program);
registerEvents(program);
registerSchema(program);
registerCost(program);
registerFork(program);
registerNew(program);

// `sluice ls | head` closes the pipe early: that ends the output, it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Problems we report on purpose get their message, not a stack trace.
  if (error instanceof ConfigError) {
    console.error(error.issues.map(formatConfigIssue).join('\n'));
    console.error(`${error.issues.length} problem(s) found`);
  } else if (error instanceof SluiceError) {
    console.error(`sluice: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
