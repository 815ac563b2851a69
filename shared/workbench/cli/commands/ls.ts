import { ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { UsageError } from '../../../contract/errors.ts';
import { startEmbeddedS3 } from '../../embedded-s3/s3-server.ts';
import { DEFAULT_DATA_DIR, resolveDataDir } from '../options.ts';

async function listBuckets(client: S3Client): Promise<string[]> {
  const { Buckets } = await client.send(new ListBucketsCommand({}));
  return (Buckets ?? []).map((bucket) => bucket.Name ?? '').filter(Boolean);
}

export function registerLs(program: Command): void {
  program
    .command('ls')
    .argument('[BUCKET[/PREFIX]]', 'bucket, optionally with a key prefix; without it, lists the buckets')
    .description('list the buckets, or the objects in a bucket, of the embedded store')
    .option('--data <DIR>', 'where local buckets and state are kept', DEFAULT_DATA_DIR)
    .action(async (target: string | undefined, options: { data: string }) => {
      // Read through the S3 API of a private server on the same folder, so `ls` also works while `sluice dev` runs.
      const s3 = await startEmbeddedS3({ dataDir: resolveDataDir(options) });
      try {
        const buckets = await listBuckets(s3.client);
        if (!target) {
          for (const bucket of buckets) console.log(bucket);
          return;
        }
        const slash = target.indexOf('/');
        const bucket = slash === -1 ? target : target.slice(0, slash);
        const prefix = slash === -1 ? '' : target.slice(slash + 1);
        if (!buckets.includes(bucket)) {
          throw new UsageError(`no bucket "${bucket}" in ${resolveDataDir(options)} (buckets: ${buckets.join(', ') || 'none yet; run `sluice run` first'})`);
        }
        let token: string | undefined;
        do {
          const page = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
          for (const object of page.Contents ?? []) {
            console.log(`${String(object.Size ?? 0).padStart(10)}  ${object.LastModified?.toISOString() ?? ''}  ${object.Key ?? ''}`);
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } finally {
        await s3.close();
      }
    });
}
