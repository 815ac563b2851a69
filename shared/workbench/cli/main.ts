import { ConfigError, SluiceError, formatConfigIssue } from '../../contract/errors.ts';
import { createProgram } from './program.ts';

// `sluice ls | head` closes the pipe early: that ends the output, it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await createProgram().parseAsync(process.argv);
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
