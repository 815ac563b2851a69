import { resolve } from 'node:path';
import type { Command } from 'commander';
import { TEST_FILE_SUFFIX } from '../../project/load-project.ts';
import { runPipelineTests } from '../../pipeline-tests/run-pipeline-tests.ts';
import { cliLogger, DEFAULT_PIPELINES_DIR } from '../options.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function registerTest(program: Command): void {
  program
    .command('test')
    .argument('[DIR]', 'folder of pipelines, their resources.yml and their *.test.yml files', DEFAULT_PIPELINES_DIR)
    .description(`run the pipeline tests (*${TEST_FILE_SUFFIX}) in DIR, each case on a fresh local store; prints PASS/FAIL per case, exits 1 if any fails`)
    .option('-v, --verbose', 'log every object processed (JSON lines on stderr)')
    .action(async (dir: string, options: { verbose?: boolean }) => {
      const result = await runPipelineTests(resolve(dir), {
        logger: cliLogger(options),
        onCase(c) {
          console.log(`${c.passed ? 'PASS' : 'FAIL'} ${c.file}: ${c.name} (${seconds(c.durationMs)})`);
          for (const failure of c.failures) console.log(`  ${failure}`);
        },
      });
      if (!result.cases.length) {
        // A test command that found nothing to run is more likely a wrong folder than a success.
        console.log(`no *${TEST_FILE_SUFFIX} files in ${dir}`);
        process.exitCode = 1;
        return;
      }
      console.log(`${result.passed} passed, ${result.failed} failed`);
      if (result.failed) process.exitCode = 1;
    });
}
