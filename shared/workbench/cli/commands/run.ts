import type { Command } from 'commander';
import { summarizeRun, writeLastRun } from '../../local/last-run.ts';
import { parsePutSpec } from '../../local/put-files.ts';
import { parsePutItemsSpec } from '../../local/put-items.ts';
import { describeOutputTables } from '../../local/table-report.ts';
import { startLocalRuntime } from '../../local/local-runtime.ts';
import { missingSecretLines } from '../../checks/secrets.ts';
import { handleStopping, leftPendingLine, resumingLine } from '../stopping.ts';
import { findProjectRoot } from '../../project/project-handlers.ts';
import type { CommonOptions } from '../options.ts';
import { runtimeOptions, DEFAULT_DATA_DIR, DEFAULT_PIPELINES_DIR, parsePort, parsePositiveInt, resolveDataDir } from '../options.ts';

interface RunOptions extends CommonOptions {
  put: string[];
  putItems: string[];
  s3Port?: number;
  dynamodbPort?: number;
  concurrency: number;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('start the embedded stores, upload files, run every triggered pipeline until nothing is pending, print a report, exit')
    .option('--put <BUCKET[/PREFIX]=PATH>', 'upload a file or a folder (repeatable); a folder keeps its relative paths as keys', (value: string, all: string[]) => [...all, value], [])
    .option('--put-items <TABLE=FILE>', 'write the items of a JSON array or NDJSON file to a table (repeatable), as any DynamoDB client would', (value: string, all: string[]) => [...all, value], [])
    .option('--data <DIR>', 'where local buckets, tables and state are kept', DEFAULT_DATA_DIR)
    .option('--pipelines <DIR>', 'folder of pipeline definitions', DEFAULT_PIPELINES_DIR)
    .option('--s3-port <N>', 'port of the embedded S3 endpoint (default: any free port)', parsePort)
    .option('--dynamodb-port <N>', 'port of the embedded DynamoDB endpoint (default: any free port)', parsePort)
    .option('--concurrency <N>', 'pipeline invocations running at once', parsePositiveInt, 4)
    .option('-v, --verbose', 'log every object processed (JSON lines on stderr)')
    .action(async (options: RunOptions) => {
      const specs = options.put.map(parsePutSpec);
      const itemSpecs = options.putItems.map(parsePutItemsSpec);
      const startedAt = new Date();
      const settings = runtimeOptions(options);
      const runtime = await startLocalRuntime(settings);
      const stopping = handleStopping(runtime, options.data);
      for (const line of missingSecretLines(runtime.pipelines, findProjectRoot(settings.pipelinesDir), 'run')) console.error(line);
      try {
        const resuming = resumingLine(runtime);
        if (resuming) console.log(resuming);
        let uploaded = 0;
        for (const spec of specs) uploaded += (await runtime.put(spec)).length;
        if (specs.length) console.log(`uploaded ${uploaded} object(s)`);
        for (const spec of itemSpecs) console.log(`wrote ${await runtime.putItems(spec)} item(s) to table ${spec.table}`);
        await runtime.idle();
        // Stopped by Ctrl+C: what was in flight has finished, the rest waits for the next start.
        if (stopping.requested) await stopping.stopped;
        // Measured for `sluice cost`, before anything else can fail.
        writeLastRun(resolveDataDir(options), summarizeRun(runtime.stats.all(), runtime.pipelines, { command: 'run', startedAt, finishedAt: new Date() }));
        console.log(runtime.report());
        const tables = await describeOutputTables(runtime);
        if (tables) console.log(tables);
        const failed = runtime.stats.all().some((s) => s.failedInvocations > 0);
        if (failed) process.exitCode = 1;
        if (stopping.requested) {
          console.log(leftPendingLine(runtime.pending(), options.data));
          process.exitCode = 130;
        }
      } finally {
        stopping.dispose();
        await runtime.close();
      }
    });
}
