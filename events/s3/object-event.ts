import { unquoteETag } from './etag.ts';

/**
 * The one shape every consumer of S3 events works with, whatever delivered the event
 * (notification to Lambda, through SQS or SNS, or EventBridge).
 */

export type S3EventKind = 'created' | 'removed' | 'restored' | 'other';

export interface S3ObjectEvent {
  bucket: string;
  /** Decoded: the key to pass to GetObject. */
  key: string;
  /** As delivered (URL-encoded in notifications, plain in EventBridge events). */
  rawKey: string;
  size?: number;
  /** Never quoted. */
  eTag?: string;
  versionId?: string;
  sequencer?: string;
  /** Without the `s3:` prefix, e.g. `ObjectCreated:Put`. */
  eventName: string;
  kind: S3EventKind;
  eventTime: string;
  region: string;
  source: 'notification' | 'eventbridge';
}

/**
 * `ObjectRemoved:*` and `LifecycleExpiration:*` both mean the object (or its current version) is
 * gone, whoever removed it. Only a completed restore makes data readable again: a restore that was
 * merely requested (`ObjectRestore:Post`) or whose copy expired (`ObjectRestore:Delete`) is 'other',
 * like tagging, ACL, transitions and replication, which change nothing a pipeline reads.
 */
export function kindOfEventName(eventName: string): S3EventKind {
  const family = eventName.split(':')[0];
  if (family === 'ObjectCreated') return 'created';
  if (family === 'ObjectRemoved' || family === 'LifecycleExpiration') return 'removed';
  if (eventName === 'ObjectRestore:Completed') return 'restored';
  return 'other';
}

const OPTIONAL_FIELDS = ['size', 'eTag', 'versionId', 'sequencer'] as const;

/**
 * Builds the normalized event: strips an `s3:` prefix from the name (aws-lambda-go samples carry
 * one), unquotes the ETag (some emulators quote it as in HTTP headers), treats an empty versionId as
 * none (a Java sample; real events omit it on unversioned buckets), and leaves absent fields out.
 */
export function toObjectEvent(fields: Omit<S3ObjectEvent, 'kind'>): S3ObjectEvent {
  const eventName = fields.eventName.replace(/^s3:/, '');
  const event: S3ObjectEvent = {
    bucket: fields.bucket,
    key: fields.key,
    rawKey: fields.rawKey,
    size: fields.size,
    eTag: unquoteETag(fields.eTag),
    versionId: fields.versionId || undefined,
    sequencer: fields.sequencer,
    eventName,
    kind: kindOfEventName(eventName),
    eventTime: fields.eventTime,
    region: fields.region,
    source: fields.source,
  };
  for (const name of OPTIONAL_FIELDS) if (event[name] === undefined) delete event[name];
  return event;
}
