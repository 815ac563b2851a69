import { randomBytes } from 'node:crypto';
import type { DynamoDBStreamEvent, DynamoDBStreamRecord, DynamoDBStreamRecordData, WireImage } from './schema.ts';
import type { DynamoDBStreamRecordInput } from './record-input.ts';
import type { ChangeEventName, StreamViewType } from '../../shared/contract/table-change.ts';
import { EventError } from '../../shared/contract/errors.ts';
import { streamRecordSize } from './item-size.ts';
import { creationSeconds } from './creation-time.ts';
import { prepareRecordInput } from './record-input.ts';
import { nextSequenceNumber } from './sequence-number.ts';
import { formatStreamArn } from './stream-arn.ts';

export type { DynamoDBStreamRecordInput, RecordInputProblem } from './record-input.ts';
export { prepareRecordInput } from './record-input.ts';

/**
 * DynamoDB stream records as Lambda delivers them, field for field and in the same order, from
 * plain values: images marshalled and filtered by the stream's view type, `SizeBytes` computed by
 * DynamoDB's item-size rules, the stream ARN, a 32-hex eventID. A handler tested or run locally
 * sees what it will see on AWS.
 */

const DEFAULT_VIEW_TYPE: StreamViewType = 'NEW_AND_OLD_IMAGES';
const DEFAULT_ACCOUNT = '123456789012';
const DEFAULT_STREAM_LABEL = '2024-01-01T00:00:00.000';
// What DynamoDB names as the author of a deletion made by Time to Live.
const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };

let lastSequence: string | undefined;

/**
 * 21 decimal digits like a real stream's (the clock in milliseconds, then a counter), strictly
 * increasing within the process, since consumers order a shard's records by it.
 */
export function nextGeneratedSequenceNumber(now: number = Date.now()): string {
  lastSequence = nextSequenceNumber(lastSequence, now);
  return lastSequence;
}

/**
 * A stream record as DynamoDB writes it and Lambda delivers it: the event model's record (which
 * also parses what other tools write), with every field DynamoDB always sets present.
 */
export type DeliveredStreamRecord = DynamoDBStreamRecord & {
  eventVersion: string;
  awsRegion: string;
  eventSourceARN: string;
  dynamodb: DynamoDBStreamRecordData & { ApproximateCreationDateTime: number; SizeBytes: number; StreamViewType: StreamViewType };
};

/** The change a stream record is made of: its images in wire form, as the table holds them. */
export interface WireChange {
  eventName: ChangeEventName;
  keys: WireImage;
  newImage?: WireImage;
  oldImage?: WireImage;
  /** When the change was made, in epoch seconds (whole). */
  approximateCreationDateTime: number;
  /** A REMOVE made by Time to Live: the record names DynamoDB as its `userIdentity`. */
  ttl?: boolean;
}

/** The stream a record belongs to. */
export interface StreamIdentity {
  streamArn: string;
  region: string;
  viewType: StreamViewType;
}

/**
 * The record of a change, field for field as Lambda delivers it: the images the stream's view
 * type carries, `SizeBytes` by DynamoDB's item-size rules. The one builder of stream records: the
 * generator and the embedded stream both use it.
 */
export function streamRecordOf(change: WireChange, stream: StreamIdentity, sequenceNumber: string, eventID: string = randomBytes(16).toString('hex')): DeliveredStreamRecord {
  const withNew = stream.viewType === 'NEW_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES';
  const withOld = stream.viewType === 'OLD_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES';
  const shown: Pick<DynamoDBStreamRecordData, 'NewImage' | 'OldImage'> = {
    ...(withNew && change.newImage ? { NewImage: change.newImage } : {}),
    ...(withOld && change.oldImage ? { OldImage: change.oldImage } : {}),
  };
  return {
    eventID,
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: stream.region,
    ...(change.ttl ? { userIdentity: { ...TTL_IDENTITY } } : {}),
    dynamodb: {
      ApproximateCreationDateTime: change.approximateCreationDateTime,
      Keys: change.keys,
      ...shown,
      SequenceNumber: sequenceNumber,
      SizeBytes: streamRecordSize({ Keys: change.keys, ...shown }),
      StreamViewType: stream.viewType,
    },
    eventSourceARN: stream.streamArn,
  };
}

/** Throws one EventError naming every problem with the input (`newImage: a REMOVE has no new image ...`). */
export function buildDynamoDBStreamRecord(input: DynamoDBStreamRecordInput): DeliveredStreamRecord {
  const { problems, images } = prepareRecordInput(input);
  if (!images) {
    throw new EventError(`cannot build DynamoDB stream record: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`);
  }
  const region = input.region ?? 'us-east-1';
  // Real captures carry the keys as the image a change lacks, where the view type shows one.
  const change: WireChange = {
    eventName: input.eventName,
    keys: images.keys,
    ...(input.eventName === 'REMOVE' ? {} : { newImage: images.newImage ?? images.keys }),
    ...(input.eventName === 'INSERT' ? {} : { oldImage: images.oldImage ?? images.keys }),
    approximateCreationDateTime: creationSeconds(input.approximateCreationTime),
    ...(input.ttl ? { ttl: true } : {}),
  };
  const streamArn = formatStreamArn({ partition: 'aws', region, account: input.accountId ?? DEFAULT_ACCOUNT, table: input.table, label: input.streamLabel ?? DEFAULT_STREAM_LABEL });
  return streamRecordOf(change, { streamArn, region, viewType: input.viewType ?? DEFAULT_VIEW_TYPE }, input.sequenceNumber ?? nextGeneratedSequenceNumber(), input.eventID);
}

export function buildDynamoDBStreamEvent(records: DynamoDBStreamRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}
