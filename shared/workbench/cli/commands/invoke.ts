import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../../../contract/errors.ts';
import { functionResponse } from '../../../engine/runtime/handle-event.ts';
import { startLocalRuntime } from '../../local/local-runtime.ts';
import type { CommonOptions } from '../options.ts';
import { runtimeOptions, DEFAULT_DATA_DIR, DEFAULT_PIPELINES_DIR } from '../options.ts';

interface InvokeOptions extends CommonOptions {
  event: string;
}

async function readEvent(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`--event: no such file: ${file}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--event: ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function registerInvoke(program: Command): void {
  program
    .command('invoke')
    .argument('<PIPELINE>', 'the pipeline to invoke')
    .description('invoke one pipeline with an event as Lambda delivers it (S3 or DynamoDB stream), on the embedded stores; print what its function returns, then the report of everything it set off (rejections and quarantines included)')
    .requiredOption('--event <FILE>', 'the event, as JSON (see `sluice events generate`)')
    .option('--data <DIR>', 'where local buckets, tables and state are kept', DEFAULT_DATA_DIR)
    .option('--pipelines <DIR>', 'folder of pipeline definitions', DEFAULT_PIPELINES_DIR)
    .option('-v, --verbose', 'log every object and batch processed (JSON lines on stderr)')
    .action(async (pipeline: string, options: InvokeOptions) => {
      const event = await readEvent(options.event);
      const runtime = await startLocalRuntime(runtimeOptions(options));
      try {
        const result = await runtime.invoke(pipeline, event);
        // What the function returns on Lambda.
        console.log(JSON.stringify(functionResponse(pipeline, result), null, 2));
        // What the invocation wrote may start other pipelines, as it would on AWS.
        await runtime.idle();
        console.log(runtime.report());
      } finally {
        await runtime.close();
      }
    });
}
