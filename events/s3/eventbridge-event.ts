import type { S3ObjectEvent } from './object-event.ts';
import type { S3EventBridgeEvent } from './schema.ts';
import { toObjectEvent } from './object-event.ts';

/**
 * EventBridge names S3 events by `detail-type` (+ `reason`, `deletion-type`); notifications by
 * `eventName`. Consumers see one vocabulary: the notification name the same change would carry,
 * per the AWS mapping between the two (S3 User Guide, "EventBridge event message structure").
 */

type Detail = S3EventBridgeEvent['detail'];

const CREATED_BY_REASON: Record<string, string> = {
  PutObject: 'Put',
  'POST Object': 'Post',
  CopyObject: 'Copy',
  CompleteMultipartUpload: 'CompleteMultipartUpload',
};

function deletedName(detail: Detail): string {
  const family = detail.reason === 'Lifecycle Expiration' ? 'LifecycleExpiration' : 'ObjectRemoved';
  return `${family}:${detail['deletion-type'] === 'Delete Marker Created' ? 'DeleteMarkerCreated' : 'Delete'}`;
}

function createdName(detail: Detail): string {
  if (detail.reason === undefined) return 'ObjectCreated';
  return `ObjectCreated:${CREATED_BY_REASON[detail.reason] ?? detail.reason.replace(/\s+/g, '')}`;
}

const NAME_BY_DETAIL_TYPE: Record<string, (detail: Detail) => string> = {
  'Object Created': createdName,
  'Object Deleted': deletedName,
  'Object Restore Initiated': () => 'ObjectRestore:Post',
  'Object Restore Completed': () => 'ObjectRestore:Completed',
  'Object Restore Expired': () => 'ObjectRestore:Delete',
  'Object Tags Added': () => 'ObjectTagging:Put',
  'Object Tags Deleted': () => 'ObjectTagging:Delete',
  'Object ACL Updated': () => 'ObjectAcl:Put',
  'Object Storage Class Changed': () => 'LifecycleTransition',
  'Object Access Tier Changed': () => 'IntelligentTiering',
};

/** The detail-types S3 sends to EventBridge today, as public data (for rules and docs). */
export const s3EventBridgeDetailTypes = Object.keys(NAME_BY_DETAIL_TYPE);

/** The notification eventName for an EventBridge S3 event; an unknown detail-type stays readable. */
export function eventNameOfEventBridge(detailType: string, detail: Detail): string {
  const name = NAME_BY_DETAIL_TYPE[detailType];
  return name ? name(detail) : detailType.replace(/\s+/g, '');
}

export function eventBridgeToObjectEvent(event: S3EventBridgeEvent): S3ObjectEvent {
  const { bucket, object } = event.detail;
  return toObjectEvent({
    bucket: bucket.name,
    // Not URL-encoded in EventBridge events, so the delivered key is the key.
    key: object.key,
    rawKey: object.key,
    size: object.size,
    eTag: object.etag,
    versionId: object['version-id'],
    sequencer: object.sequencer,
    eventName: eventNameOfEventBridge(event['detail-type'], event.detail),
    eventTime: event.time,
    region: event.region,
    source: 'eventbridge',
  });
}
