import type { Command } from 'commander';
import { buildS3Event, buildS3EventRecord } from '../../../events/s3/generate.ts';
import { parsePositiveInt } from '../options.ts';

interface GenerateS3Options {
  bucket: string;
  key: string;
  size?: number;
  etag?: string;
  eventName: string;
  region: string;
}

export function registerEvents(program: Command): void {
  const events = program.command('events').description('make sample events as Lambda delivers them');
  const generate = events.command('generate').description('print a sample event as JSON');
  generate
    .command('s3')
    .description('an S3 event notification for one object, key encoded as S3 encodes it')
    .requiredOption('--bucket <B>', 'bucket name')
    .requiredOption('--key <K>', 'object key, as stored (it is encoded in the event)')
    .option('--size <N>', 'object size in bytes', (value: string) => (value === '0' ? 0 : parsePositiveInt(value)))
    .option('--etag <E>', 'object eTag (default: a made-up MD5-like value)')
    .option('--event-name <NAME>', 'e.g. ObjectCreated:Put, ObjectCreated:CompleteMultipartUpload, ObjectRemoved:Delete', 'ObjectCreated:Put')
    .option('--region <R>', 'AWS region', 'us-east-1')
    .action((options: GenerateS3Options) => {
      // Which object fields appear (no size or eTag on deletes) is the generator's to decide, as AWS does.
      const record = buildS3EventRecord({
        bucket: options.bucket,
        key: options.key,
        eventName: options.eventName,
        region: options.region,
        size: options.size ?? 1024,
        ...(options.etag ? { eTag: options.etag } : {}),
      });
      console.log(JSON.stringify(buildS3Event([record]), null, 2));
    });
}
