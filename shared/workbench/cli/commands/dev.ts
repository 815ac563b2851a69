import type { Command } from 'commander';
import { summarizeRun, writeLastRun } from '../../local/last-run.ts';
import { startLocalRuntime } from '../../local/local-runtime.ts';
import { EMBEDDED_CREDENTIALS, EMBEDDED_REGION } from '../../embedded-s3/s3-server.ts';
import { startDashboard } from '../../dashboard/server.ts';
import { RunFeed } from '../../dashboard/run-feed.ts';
import type { Pipeline } from '../../../engine/pipeline/schema.ts';
import { isBucketOutput, isBucketTrigger } from '../../../engine/pipeline/schema.ts';
import { describeBatchResult, describeObjectResult } from '../../local/result-line.ts';
import { handleStopping, leftPendingLine, resumingLine } from '../stopping.ts';
import { missingSecretLines } from '../../checks/secrets.ts';
import { findProjectRoot } from '../../project/project-handlers.ts';
import type { CommonOptions } from '../options.ts';
import { runtimeOptions, DEFAULT_DATA_DIR, DEFAULT_PIPELINES_DIR, parsePort, parsePositiveInt, resolveDataDir } from '../options.ts';

interface DevOptions extends CommonOptions {
  s3Port: number;
  dynamodbPort: number;
  uiPort: number;
  concurrency: number;
}

/** `thumbnails (uploads/images/* → media)`, `revenue (orders stream → table revenue)` */
function describeRoute(pipeline: Pipeline): string {
  const from = isBucketTrigger(pipeline.on) ? `${pipeline.on.bucket}/${pipeline.on.prefix}*` : `${pipeline.on.table} stream`;
  const to = isBucketOutput(pipeline.to) ? pipeline.to.bucket : `table ${pipeline.to.table}`;
  return `${pipeline.name} (${from} → ${to})`;
}

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('keep the embedded stores running, process events as any S3 or DynamoDB client writes, and serve the dashboard, until interrupted')
    .option('--s3-port <N>', 'port of the embedded S3 endpoint', parsePort, 4568)
    .option('--dynamodb-port <N>', 'port of the embedded DynamoDB endpoint (also the DynamoDB Streams API)', parsePort, 4569)
    .option('--ui-port <N>', 'port of the dashboard (http://127.0.0.1:N/)', parsePort, 4570)
    .option('--data <DIR>', 'where local buckets, tables and state are kept', DEFAULT_DATA_DIR)
    .option('--pipelines <DIR>', 'folder of pipeline definitions', DEFAULT_PIPELINES_DIR)
    .option('--concurrency <N>', 'pipeline invocations running at once', parsePositiveInt, 4)
    .option('-v, --verbose', 'log every object and batch processed (JSON lines on stderr)')
    .action(async (options: DevOptions) => {
      const startedAt = new Date();
      const feed = new RunFeed();
      const settings = runtimeOptions(options);
      const runtime = await startLocalRuntime({
        ...settings,
        onResult: (result) => {
          console.log(describeObjectResult(result));
          feed.object(result);
        },
        onBatch: (result) => {
          console.log(describeBatchResult(result));
          feed.batch(result);
        },
        onFailure: (failure) => feed.failure(failure),
      });
      feed.attach(runtime.pipelines, () => runtime.stats.all());
      const stopping = handleStopping(runtime, options.data);
      let dashboard;
      try {
        dashboard = await startDashboard({ runtime, feed, dataDir: settings.dataDir, startedAt, logger: settings.logger, port: options.uiPort });
      } catch (error) {
        stopping.dispose();
        await runtime.close();
        throw error;
      }
      for (const line of missingSecretLines(runtime.pipelines, findProjectRoot(settings.pipelinesDir), 'dev')) console.error(line);
      const resuming = resumingLine(runtime);
      if (resuming) console.log(resuming);
      const { endpoint } = runtime.s3;
      const firstBucket = runtime.pipelines.map((p) => p.on).find(isBucketTrigger);
      // A file that starts that pipeline: its first suffix (`example.csv` for orders/).
      const example = `example${firstBucket?.suffix[0] ?? '.jpg'}`;
      const tables = Object.keys(runtime.resources.tables);
      console.log(`Sluice dev: embedded stores running (data in ${resolveDataDir(options)})
  dashboard          ${dashboard.url}
  S3 endpoint        ${endpoint}
  DynamoDB endpoint  ${runtime.dynamodb.endpoint} (DynamoDB and DynamoDB Streams APIs)
  credentials        AWS_ACCESS_KEY_ID=${EMBEDDED_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${EMBEDDED_CREDENTIALS.secretAccessKey} AWS_REGION=${EMBEDDED_REGION}
  buckets            ${Object.keys(runtime.resources.buckets).join(', ')}
  tables             ${tables.join(', ') || '(none)'}
  pipelines          ${runtime.pipelines.map(describeRoute).join(', ')}
Try: aws --endpoint-url ${endpoint} s3 cp ${example} s3://${firstBucket?.bucket ?? 'uploads'}/${firstBucket?.prefix ?? ''}${example}${tables.length ? `\n     aws --endpoint-url ${runtime.dynamodb.endpoint} dynamodb scan --table-name ${tables[0]}` : ''}
Press Ctrl+C to stop.`);
      // The first Ctrl+C stops taking work and waits for what is in flight; a second one exits at once.
      await stopping.stopped;
      const left = runtime.pending();
      await dashboard.close();
      await runtime.close();
      writeLastRun(resolveDataDir(options), summarizeRun(runtime.stats.all(), runtime.pipelines, { command: 'dev', startedAt, finishedAt: new Date() }));
      console.log(runtime.report());
      console.log(leftPendingLine(left, options.data));
      stopping.dispose();
    });
}
