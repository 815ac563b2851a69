import type { WireImage } from './schema.ts';
import type { ChangeEventName, StreamViewType } from '../../shared/contract/table-change.ts';
import { describeValue } from '../../shared/contract/describe-issue.ts';
import { NumberValue, marshallImage } from './attribute-values.ts';
import { creationSeconds } from './creation-time.ts';
import { TABLE_NAME } from './stream-arn.ts';
import { CHANGE_EVENT_NAMES, STREAM_VIEW_TYPES } from '../../shared/contract/table-change.ts';

/**
 * What a stream record is made from (plain, unmarshalled values, as a step would write the item),
 * and the rules DynamoDB itself guarantees of real records, checked before anything is built: the
 * generator and `sluice events generate dynamodb` refuse the same things with the same words.
 */
export interface DynamoDBStreamRecordInput {
  table: string;
  eventName: ChangeEventName;
  /** The item's key attributes: the partition key, and the sort key if the table has one. */
  keys: Record<string, unknown>;
  /** The item after the change (INSERT, MODIFY). Default: the keys alone. */
  newImage?: Record<string, unknown>;
  /** The item before the change (MODIFY, REMOVE). Default: the keys alone. */
  oldImage?: Record<string, unknown>;
  /** Which images the stream carries. Default NEW_AND_OLD_IMAGES. */
  viewType?: StreamViewType;
  /** Decimal digits. Default: the next of an increasing series, 21 digits like real ones. */
  sequenceNumber?: string;
  /** Default us-east-1. */
  region?: string;
  /** A Date, ISO text or epoch seconds (milliseconds are told by their magnitude). Default now. */
  approximateCreationTime?: Date | number | string;
  /** A REMOVE made by Time to Live: the record then names DynamoDB as its `userIdentity`. */
  ttl?: boolean;
  eventID?: string;
  accountId?: string;
  /** The stream's label (its creation time) in the ARN. */
  streamLabel?: string;
}

export interface RecordInputProblem {
  field: keyof DynamoDBStreamRecordInput;
  message: string;
}

/** The marshalled images a valid input gives, before the view type filters them. */
export interface PreparedImages {
  keys: WireImage;
  newImage?: WireImage;
  oldImage?: WireImage;
}

type ImageField = 'keys' | 'newImage' | 'oldImage';

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Set) && !(value instanceof Uint8Array);

function keyValueProblem(value: unknown): string | undefined {
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || value instanceof NumberValue || value instanceof Uint8Array;
  if (!scalar) return `expected a string, a number or binary (a key attribute's types), found ${describeValue(value)}`;
  if ((typeof value === 'string' || value instanceof Uint8Array) && value.length === 0) return 'expected a non-empty value: DynamoDB refuses an empty key attribute';
  return undefined;
}

function checkKeys(keys: unknown, problems: RecordInputProblem[]): void {
  if (!isMapping(keys)) {
    problems.push({ field: 'keys', message: `expected a mapping of key attributes, found ${describeValue(keys)}` });
    return;
  }
  const names = Object.keys(keys);
  if (names.length < 1 || names.length > 2) {
    problems.push({ field: 'keys', message: `expected 1 or 2 key attributes (the partition key, and the sort key if the table has one), found ${names.length}` });
  }
  for (const name of names) {
    const problem = keyValueProblem(keys[name]);
    if (problem) problems.push({ field: 'keys', message: `${name}: ${problem}` });
  }
}

/** Which images the change has: an INSERT has no before, a REMOVE no after. */
function checkImagesForEvent(input: DynamoDBStreamRecordInput, problems: RecordInputProblem[]): void {
  if (input.eventName === 'INSERT' && input.oldImage !== undefined) {
    problems.push({ field: 'oldImage', message: 'an INSERT has no old image: the item did not exist before' });
  }
  if (input.eventName === 'REMOVE' && input.newImage !== undefined) {
    problems.push({ field: 'newImage', message: 'a REMOVE has no new image: the item is gone' });
  }
  if (input.ttl && input.eventName !== 'REMOVE') {
    problems.push({ field: 'ttl', message: `only a REMOVE is made by Time to Live, found ${input.eventName}` });
  }
}

function marshalled(field: ImageField, value: unknown, problems: RecordInputProblem[]): WireImage | undefined {
  if (value === undefined) return undefined;
  if (!isMapping(value)) {
    problems.push({ field, message: `expected a mapping of attributes, found ${describeValue(value)}` });
    return undefined;
  }
  try {
    return marshallImage(value);
  } catch (error) {
    problems.push({ field, message: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/** Every image holds the item's keys, with the same values. */
function checkKeysInImage(field: ImageField, input: DynamoDBStreamRecordInput, images: { keys: WireImage; image: WireImage }, problems: RecordInputProblem[]): void {
  for (const [name, value] of Object.entries(images.keys)) {
    const inImage = images.image[name];
    if (inImage === undefined) {
      problems.push({ field, message: `lacks the key attribute "${name}": every image holds the item's keys` });
    } else if (JSON.stringify(inImage) !== JSON.stringify(value)) {
      const found = (input[field] as Record<string, unknown>)[name];
      problems.push({ field, message: `${name}: expected the key's value, ${describeValue(input.keys[name])}, found ${describeValue(found)}` });
    }
  }
}

function checkScalars(input: DynamoDBStreamRecordInput, problems: RecordInputProblem[]): void {
  if (typeof input.table !== 'string' || !TABLE_NAME.test(input.table)) {
    problems.push({ field: 'table', message: `expected a table name: 3-255 letters, digits, "_", "-" or ".", found ${describeValue(input.table)}` });
  }
  if (!(CHANGE_EVENT_NAMES as readonly unknown[]).includes(input.eventName)) {
    problems.push({ field: 'eventName', message: `expected one of ${CHANGE_EVENT_NAMES.join(', ')}, found ${describeValue(input.eventName)}` });
  }
  if (input.viewType !== undefined && !(STREAM_VIEW_TYPES as readonly unknown[]).includes(input.viewType)) {
    problems.push({ field: 'viewType', message: `expected one of ${STREAM_VIEW_TYPES.join(', ')}, found ${describeValue(input.viewType)}` });
  }
  if (input.sequenceNumber !== undefined && !/^\d{1,40}$/.test(input.sequenceNumber)) {
    problems.push({ field: 'sequenceNumber', message: `expected a sequence number (up to 40 decimal digits), found ${describeValue(input.sequenceNumber)}` });
  }
  if (input.approximateCreationTime !== undefined && Number.isNaN(creationSeconds(input.approximateCreationTime))) {
    problems.push({ field: 'approximateCreationTime', message: `expected a date (ISO text, epoch seconds or a Date), found ${describeValue(String(input.approximateCreationTime))}` });
  }
}

/** Every problem with the input, and the marshalled images when there are none. */
export function prepareRecordInput(input: DynamoDBStreamRecordInput): { problems: RecordInputProblem[]; images?: PreparedImages } {
  const problems: RecordInputProblem[] = [];
  checkScalars(input, problems);
  checkKeys(input.keys, problems);
  checkImagesForEvent(input, problems);
  const keys = isMapping(input.keys) ? marshalled('keys', input.keys, problems) : undefined;
  const newImage = marshalled('newImage', input.newImage, problems);
  const oldImage = marshalled('oldImage', input.oldImage, problems);
  // An image the event cannot have, or keys that are wrong themselves, are reported already.
  const checked = (field: ImageField) => problems.every((problem) => problem.field !== 'keys' && problem.field !== field);
  if (keys && newImage && checked('newImage')) checkKeysInImage('newImage', input, { keys, image: newImage }, problems);
  if (keys && oldImage && checked('oldImage')) checkKeysInImage('oldImage', input, { keys, image: oldImage }, problems);
  if (problems.length || !keys) return { problems };
  return { problems, images: { keys, ...(newImage ? { newImage } : {}), ...(oldImage ? { oldImage } : {}) } };
}
