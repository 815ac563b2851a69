/** What a table's change stream carries about each item: DynamoDB Streams' view types. */
export const STREAM_VIEW_TYPES = ['NEW_AND_OLD_IMAGES', 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY'] as const;
export type StreamViewType = (typeof STREAM_VIEW_TYPES)[number];

export const CHANGE_EVENT_NAMES = ['INSERT', 'MODIFY', 'REMOVE'] as const;
export type ChangeEventName = (typeof CHANGE_EVENT_NAMES)[number];

/**
 * One change of one table item, as Sluice's steps see a DynamoDB stream record: images
 * unmarshalled once, at the edge, into plain values; the sequence number kept as its decimal
 * string (28 digits and more: compare with BigInt, never as a JS number).
 */
export interface TableChange {
  eventName: ChangeEventName;
  eventID: string;
  /** The table, read from `eventSourceARN` when the record has one. */
  table?: string;
  /** The stream's ARN (`eventSourceARN`), when the record has one. */
  streamArn?: string;
  sequenceNumber: string;
  /** When the change was made, to the second (DynamoDB's approximation). */
  approximateCreationTime?: Date;
  keys: Record<string, unknown>;
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
  sizeBytes?: number;
  streamViewType?: StreamViewType;
}
