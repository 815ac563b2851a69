import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startLocalRuntime } from '../../local/runtime.ts';
import { EMBEDDED_CREDENTIALS, EMBEDDED_REGION } from '../../local/s3-server.ts';
import type { CommonOptions } from '../options.ts';
import { cliLogger, DEFAULT_DATA_DIR, DEFAULT_PIPELINES_DIR, parsePort, parsePositiveInt, resolveDataDir } from '../options.ts';

interface DevOptions extends CommonOptions {
  s3Port: number;
  concurrency: number;
}

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('keep the embedded stores running and process events as any S3 client writes objects, until interrupted')
    .option('--s3-port <N>', 'port of the embedded S3 endpoint', parsePort, 4568)
    .option('--data <DIR>', 'where local buckets and state are kept', DEFAULT_DATA_DIR)
    .option('--pipelines <DIR>', 'folder of pipeline definitions', DEFAULT_PIPELINES_DIR)
    .option('--concurrency <N>', 'pipeline invocations running at once', parsePositiveInt, 4)
    .option('-v, --verbose', 'log every object processed (JSON lines on stderr)')
    .action(async (options: DevOptions) => {
      const runtime = await startLocalRuntime({
        dataDir: resolveDataDir(options),
        pipelinesDir: resolve(options.pipelines),
        logger: cliLogger(options),
        concurrency: options.concurrency,
        s3Port: options.s3Port,
        onResult(result) {
          const what =
            result.status === 'processed'
              ? `${result.outputs.length} output(s) → ${result.outputs.map((o) => `${o.bucket}/${o.key}`).join(', ')}`
              : result.status === 'quarantined'
                ? `quarantined: ${result.error?.message ?? ''}`
                : `skipped: ${result.reason ?? ''}`;
          console.log(`[${result.pipeline}] ${result.source.bucket}/${result.source.key}: ${what} (${Math.round(result.durationMs)} ms)`);
        },
      });
      const { endpoint } = runtime.s3;
      console.log(`Sluice dev: embedded stores running (data in ${resolveDataDir(options)})
  S3 endpoint   ${endpoint}
  credentials   AWS_ACCESS_KEY_ID=${EMBEDDED_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${EMBEDDED_CREDENTIALS.secretAccessKey} AWS_REGION=${EMBEDDED_REGION}
  buckets       ${Object.keys(runtime.resources.buckets).join(', ')}
  pipelines     ${runtime.pipelines.map((p) => `${p.name} (${p.on.bucket}/${p.on.prefix}* → ${p.to.bucket})`).join(', ')}
Try: aws --endpoint-url ${endpoint} s3 cp photo.jpg s3://${runtime.pipelines[0]?.on.bucket ?? 'uploads'}/${runtime.pipelines[0]?.on.prefix ?? ''}photo.jpg
Press Ctrl+C to stop.`);
      await new Promise<void>((resolveStop) => {
        process.once('SIGINT', resolveStop);
        process.once('SIGTERM', resolveStop);
      });
      console.log('stopping: finishing invocations in flight...');
      await runtime.close();
      console.log(runtime.report());
    });
}
