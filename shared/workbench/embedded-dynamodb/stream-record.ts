import { randomUUID } from 'node:crypto';
import type { ChangeEventName, StreamViewType } from '../../contract/table-change.ts';
import type { Item } from './attribute-value.ts';
import { streamRecordSize } from '../../../events/dynamodb/item-size.ts';
import type { WireImage } from '../../../events/dynamodb/schema.ts';

/** A stream record exactly as Lambda delivers it in a DynamoDB stream event (marshalled images). */
export interface DynamoDBStreamRecord {
  eventID: string;
  eventName: ChangeEventName;
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    /** Seconds since the epoch, whole. */
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    /** Decimal, 21 digits or more: compare as BigInt. */
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  eventSourceARN: string;
}

/** One item changed by one write: what a stream record is made of. */
export interface ItemChange {
  eventName: ChangeEventName;
  keys: Item;
  oldImage?: Item;
  newImage?: Item;
  /** When the write was made, in milliseconds. */
  at: number;
}

/** What the change of an item from `oldImage` to `newImage` (either absent) is, or undefined when nothing changed. */
export function changeEventName(oldImage: Item | undefined, newImage: Item | undefined): ChangeEventName | undefined {
  if (!oldImage) return newImage ? 'INSERT' : undefined;
  return newImage ? 'MODIFY' : 'REMOVE';
}

export interface StreamIdentity {
  streamArn: string;
  region: string;
  viewType: StreamViewType;
}

/** The record of a change with the images its stream's view type carries; SizeBytes counts the keys and those images. */
export function buildStreamRecord(change: ItemChange, stream: StreamIdentity, sequenceNumber: string): DynamoDBStreamRecord {
  const withNew = stream.viewType === 'NEW_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES';
  const withOld = stream.viewType === 'OLD_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES';
  const newImage = withNew ? change.newImage : undefined;
  const oldImage = withOld ? change.oldImage : undefined;
  // The same wire form as the event model's images (aws-lambda types it a little differently).
  const wire = (image: Item) => image as unknown as WireImage;
  const sizeBytes = streamRecordSize({ Keys: wire(change.keys), ...(newImage ? { NewImage: wire(newImage) } : {}), ...(oldImage ? { OldImage: wire(oldImage) } : {}) });
  return {
    eventID: randomUUID().replaceAll('-', ''),
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: stream.region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(change.at / 1000),
      Keys: change.keys,
      ...(newImage ? { NewImage: newImage } : {}),
      ...(oldImage ? { OldImage: oldImage } : {}),
      SequenceNumber: sequenceNumber,
      SizeBytes: sizeBytes,
      StreamViewType: stream.viewType,
    },
    eventSourceARN: stream.streamArn,
  };
}
