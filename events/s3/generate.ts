import { randomBytes } from 'node:crypto';
import type { S3Event, S3EventRecord } from './schema.ts';
import { EventError } from '../../shared/contract/errors.ts';
import { unquoteETag } from './etag.ts';
import { encodeS3EventKey } from './key-encoding.ts';

/**
 * S3 event records as AWS delivers them to Lambda today, field for field, so that a handler tested
 * or run locally sees exactly what it will see on AWS (the local notification bridge and
 * `sluice events generate s3` both build their events here).
 */

export interface S3EventRecordInput {
  bucket: string;
  /** The decoded key; it is encoded here the way S3 encodes it. */
  key: string;
  size?: number;
  eTag?: string;
  sequencer?: string;
  versionId?: string;
  /** Default `ObjectCreated:Put`. */
  eventName?: string;
  eventTime?: Date | string;
  /** Default `us-east-1`. */
  region?: string;
  sourceIp?: string;
  principalId?: string;
  requestId?: string;
  configurationId?: string;
}

// MD5 of no bytes: the ETag of an empty object, and of every delete marker.
const EMPTY_ETAG = 'd41d8cd98f00b204e9800998ecf8427e';
const OWNER_PRINCIPAL_ID = 'A3SLUICELOCALOWNER';

/** Which object fields AWS sends, by event family (from real recordings, see SOURCES.md quirk 5). */
function objectFieldsOf(eventName: string): { size: boolean; eTag: boolean; sequencer: boolean } {
  if (eventName === 'ObjectRemoved:DeleteMarkerCreated') return { size: false, eTag: true, sequencer: true };
  if (eventName.startsWith('ObjectRemoved:') || eventName.startsWith('LifecycleExpiration:')) {
    return { size: false, eTag: false, sequencer: true };
  }
  if (eventName.startsWith('ObjectTagging:') || eventName.startsWith('ObjectAcl:')) {
    return { size: false, eTag: true, sequencer: false };
  }
  return { size: true, eTag: true, sequencer: true };
}

/** The eventVersion AWS stamps on each family today: the newer event types came with newer versions. */
function eventVersionOf(eventName: string): string {
  if (eventName.startsWith('Replication:')) return '2.2';
  if (/^(ObjectTagging|ObjectAcl|LifecycleExpiration|LifecycleTransition|IntelligentTiering):?/.test(eventName)) return '2.3';
  return '2.1';
}

let lastSequencer = 0n;

/**
 * 18 uppercase hex digits like S3's: `00`, the Unix time in seconds (8 digits), then a sub-second
 * part (8 digits). Strictly increasing within the process, even within one millisecond or when the
 * clock steps back, since consumers order events of a key by it.
 */
export function nextSequencer(now: number = Date.now()): string {
  const seconds = BigInt(Math.floor(now / 1000));
  const fromClock = (seconds << 32n) + BigInt(Math.floor(now % 1000) * 4_294_967);
  lastSequencer = fromClock > lastSequencer ? fromClock : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

function isoTime(time: Date | string | undefined): string {
  const date = time === undefined ? new Date() : new Date(time);
  if (Number.isNaN(date.getTime())) {
    throw new EventError(`cannot build S3 event: eventTime ${JSON.stringify(String(time))} is not a date`);
  }
  return date.toISOString();
}

function eTagOf(eventName: string, input: S3EventRecordInput): string {
  if (eventName === 'ObjectRemoved:DeleteMarkerCreated') return EMPTY_ETAG;
  if (input.eTag !== undefined) return unquoteETag(input.eTag);
  // Without one, an MD5-looking value: the right one for an empty object, a random one otherwise.
  return (input.size ?? 0) === 0 ? EMPTY_ETAG : randomBytes(16).toString('hex');
}

export function buildS3EventRecord(input: S3EventRecordInput): S3EventRecord {
  const eventName = (input.eventName ?? 'ObjectCreated:Put').replace(/^s3:/, '');
  const fields = objectFieldsOf(eventName);
  const object: S3EventRecord['s3']['object'] = { key: encodeS3EventKey(input.key) };
  if (fields.size) object.size = input.size ?? 0;
  if (fields.eTag) object.eTag = eTagOf(eventName, input);
  if (input.versionId !== undefined) object.versionId = input.versionId;
  if (fields.sequencer) object.sequencer = input.sequencer ?? nextSequencer();
  return {
    eventVersion: eventVersionOf(eventName),
    eventSource: 'aws:s3',
    awsRegion: input.region ?? 'us-east-1',
    eventTime: isoTime(input.eventTime),
    eventName,
    userIdentity: { principalId: input.principalId ?? 'AWS:AIDASLUICELOCALUSER' },
    requestParameters: { sourceIPAddress: input.sourceIp ?? '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': input.requestId ?? randomBytes(8).toString('hex').toUpperCase(),
      // 56 random bytes: 76 base64 characters ending in "=", as in real deliveries.
      'x-amz-id-2': randomBytes(56).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: input.configurationId ?? 'sluice',
      bucket: { name: input.bucket, ownerIdentity: { principalId: OWNER_PRINCIPAL_ID }, arn: `arn:aws:s3:::${input.bucket}` },
      object,
    },
  };
}

export function buildS3Event(records: S3EventRecord[]): S3Event {
  return { Records: records };
}
