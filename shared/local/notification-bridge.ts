import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from '../../events/s3/schema.ts';
import { buildS3Event, buildS3EventRecord } from '../../events/s3/generate.ts';
import type { Logger } from '../log/logger.ts';
import { unquoteETag } from '../../events/s3/etag.ts';
import type { EmbeddedS3, S3rverEvent } from './s3-server.ts';

// s3rver reports multipart completions (and browser POST uploads) as "Post".
const EVENT_NAMES: Record<string, string> = {
  'ObjectCreated:Put': 'ObjectCreated:Put',
  'ObjectCreated:Copy': 'ObjectCreated:Copy',
  'ObjectCreated:Post': 'ObjectCreated:CompleteMultipartUpload',
  'ObjectRemoved:Delete': 'ObjectRemoved:Delete',
};

/**
 * Turns every write to the embedded S3 server into an S3 event notification shaped exactly as AWS
 * delivers it to Lambda (keys URL-encoded as S3 encodes them, eTag without quotes, bucket ARN,
 * increasing sequencer), one record per event as S3 sends them.
 */
export function bridgeNotifications(s3: EmbeddedS3, options: { deliver(event: S3Event): void; track(work: Promise<unknown>): void; logger: Logger }): void {
  s3.onObjectEvent((raw: S3rverEvent) => {
    for (const record of raw.Records) {
      const eventName = EVENT_NAMES[record.eventName] ?? record.eventName;
      const bucket = record.s3.bucket.name;
      const { key, size, eTag } = record.s3.object;
      const removed = eventName.startsWith('ObjectRemoved:');
      if (removed || eTag !== undefined) {
        options.deliver(buildS3Event([buildS3EventRecord({ bucket, key, eventName, ...(size !== undefined ? { size } : {}), ...(eTag ? { eTag } : {}), sourceIp: '127.0.0.1' })]));
        continue;
      }
      // A copy is reported without its eTag; S3 includes it, so look it up before delivering.
      options.track(
        s3.client
          .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
          .then((head) => {
            const found = unquoteETag(head.ETag);
            options.deliver(buildS3Event([buildS3EventRecord({ bucket, key, eventName, size: head.ContentLength ?? size ?? 0, ...(found ? { eTag: found } : {}), sourceIp: '127.0.0.1' })]));
          })
          .catch((error: unknown) => options.logger.error({ err: error, bucket, key }, 'could not complete an object event')),
      );
    }
  });
}
