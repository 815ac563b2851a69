import { randomBytes } from 'node:crypto';
import type { DynamoDBStreamEvent, DynamoDBStreamRecord, DynamoDBStreamRecordData } from './schema.ts';
import type { DynamoDBStreamRecordInput, PreparedImages } from './record-input.ts';
import type { ChangeEventName, StreamViewType } from '../../shared/contract/table-change.ts';
import { EventError } from '../../shared/contract/errors.ts';
import { streamRecordSize } from './item-size.ts';
import { creationSeconds } from './creation-time.ts';
import { prepareRecordInput } from './record-input.ts';
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

let lastSequence = 0n;

/**
 * 21 decimal digits like a real stream's (the clock in milliseconds, then a counter), strictly
 * increasing within the process, since consumers order a shard's records by it.
 */
export function nextSequenceNumber(now: number = Date.now()): string {
  const fromClock = BigInt(Math.floor(now)) * 100_000_000n;
  lastSequence = fromClock > lastSequence ? fromClock : lastSequence + 1n;
  return lastSequence.toString();
}

/** Which images a stream of this view type carries for this change, as real captures show. */
function imagesFor(viewType: StreamViewType, eventName: ChangeEventName, images: PreparedImages): Pick<DynamoDBStreamRecordData, 'NewImage' | 'OldImage'> {
  const newImage = eventName === 'REMOVE' ? undefined : (images.newImage ?? images.keys);
  const oldImage = eventName === 'INSERT' ? undefined : (images.oldImage ?? images.keys);
  const withNew = viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
  const withOld = viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
  return { ...(withNew && newImage ? { NewImage: newImage } : {}), ...(withOld && oldImage ? { OldImage: oldImage } : {}) };
}

/** Throws one EventError naming every problem with the input (`newImage: a REMOVE has no new image ...`). */
export function buildDynamoDBStreamRecord(input: DynamoDBStreamRecordInput): DynamoDBStreamRecord {
  const { problems, images } = prepareRecordInput(input);
  if (!images) {
    throw new EventError(`cannot build DynamoDB stream record: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`);
  }
  const viewType = input.viewType ?? DEFAULT_VIEW_TYPE;
  const region = input.region ?? 'us-east-1';
  const shown = imagesFor(viewType, input.eventName, images);
  return {
    eventID: input.eventID ?? randomBytes(16).toString('hex'),
    eventName: input.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    ...(input.ttl ? { userIdentity: { ...TTL_IDENTITY } } : {}),
    dynamodb: {
      ApproximateCreationDateTime: creationSeconds(input.approximateCreationTime),
      Keys: images.keys,
      ...shown,
      SequenceNumber: input.sequenceNumber ?? nextSequenceNumber(),
      SizeBytes: streamRecordSize({ Keys: images.keys, ...shown }),
      StreamViewType: viewType,
    },
    eventSourceARN: formatStreamArn({
      partition: 'aws',
      region,
      account: input.accountId ?? DEFAULT_ACCOUNT,
      table: input.table,
      label: input.streamLabel ?? DEFAULT_STREAM_LABEL,
    }),
  };
}

export function buildDynamoDBStreamEvent(records: DynamoDBStreamRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}
