import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from '../../../events/s3/schema.ts';
import { buildS3Event, buildS3EventRecord } from '../../../events/s3/generate.ts';
import type { Logger } from '../../contract/logger.ts';
import { unquoteETag } from '../../../events/s3/etag.ts';
import { isNoSuchKey } from '../../engine/runtime/object-io.ts';
import type { NotificationJournal, ObjectNotice, ObjectWriteIntent } from './notification-journal.ts';
import type { EmbeddedS3, S3rverEvent } from './s3-server.ts';


export interface BridgeOptions {
  /** Delivers an event; `onDone` is called once every pipeline it triggered has finished with it. */
  deliver(event: S3Event, onDone?: () => void): void;
  track(work: Promise<unknown>): void;
  logger: Logger;
  /** Makes delivery durable: events are logged before delivery, and what a killed process left is delivered again. */
  journal?: NotificationJournal;
}

/**
 * Turns every write to the embedded S3 server into an S3 event notification shaped exactly as AWS
 * delivers it to Lambda (keys URL-encoded as S3 encodes them, eTag without quotes, bucket ARN,
 * increasing sequencer), one record per event as S3 sends them.
 */
export function bridgeNotifications(s3: EmbeddedS3, options: BridgeOptions): void {
  const { journal } = options;
  const send = (notice: ObjectNotice, id?: number) => {
    const { bucket, key, eventName, size, eTag } = notice;
    const onDone = id === undefined ? undefined : () => journal?.done(id);
    if (eventName.startsWith('ObjectRemoved:') || eTag !== undefined) {
      options.deliver(buildS3Event([buildS3EventRecord({ bucket, key, eventName, ...(size !== undefined ? { size } : {}), ...(eTag ? { eTag } : {}), sourceIp: '127.0.0.1' })]), onDone);
      return;
    }
    // An event reported without its eTag (S3 always includes it) is completed from the object first.
    options.track(
      s3.client
        .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
        .then((head) => {
          const found = unquoteETag(head.ETag);
          options.deliver(buildS3Event([buildS3EventRecord({ bucket, key, eventName, size: head.ContentLength ?? size ?? 0, ...(found ? { eTag: found } : {}), sourceIp: '127.0.0.1' })]), onDone);
        })
        .catch((error: unknown) => {
          if (isNoSuchKey(error)) return onDone?.(); // gone already: its removal has an event of its own
          options.logger.error({ err: error, bucket, key }, 'could not complete an object event');
        }),
    );
  };

  s3.onObjectEvent((raw: S3rverEvent, intent?: number) => {
    for (const record of raw.Records) {
      const { key, size, eTag } = record.s3.object;
      const notice: ObjectNotice = { bucket: record.s3.bucket.name, key, eventName: record.eventName, ...(size !== undefined ? { size } : {}), ...(eTag !== undefined ? { eTag } : {}) };
      send(notice, journal?.record(notice, intent));
    }
  });

  if (!journal) return;
  const { notices, intents } = journal.recovered();
  for (const { id, notice } of notices) send(notice, id);
  for (const { id, write } of intents) options.track(settleIntent(s3, journal, id, write, send, options.logger));
}

/**
 * A write request the last process did not see through: the object as it is now says what
 * happened. Written (or maybe written): deliver a created event; deleted: a removed one. At worst
 * an object that did not change gets an event, which its pipelines skip as already processed.
 */
async function settleIntent(s3: EmbeddedS3, journal: NotificationJournal, id: number, write: ObjectWriteIntent, send: (notice: ObjectNotice, id?: number) => void, logger: Logger): Promise<void> {
  const { bucket, key } = write;
  let notice: ObjectNotice | undefined;
  try {
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const eTag = unquoteETag(head.ETag);
    if (write.method !== 'DELETE') notice = { bucket, key, eventName: 'ObjectCreated:Put', size: head.ContentLength ?? 0, ...(eTag ? { eTag } : {}) };
  } catch (error) {
    if (!isNoSuchKey(error)) {
      logger.error({ err: error, bucket, key }, 'could not settle an interrupted write');
      return;
    }
    if (write.method === 'DELETE') notice = { bucket, key, eventName: 'ObjectRemoved:Delete' };
  }
  if (notice) send(notice, journal.record(notice, id));
  journal.settle(id);
}
