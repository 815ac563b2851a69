import { describe, expect, it } from 'vitest';
import type { DynamoDBStreamRecordInput } from '../../../events/dynamodb/generate.ts';
import { buildDynamoDBStreamEvent, buildDynamoDBStreamRecord, nextGeneratedSequenceNumber } from '../../../events/dynamodb/generate.ts';
import { NumberValue, normalizeDynamoDBStreamEvent } from '../../../events/dynamodb/normalize.ts';
import { dynamoDBStreamEventSchema } from '../../../events/dynamodb/schema.ts';
import type { DynamoDBStreamRecord } from '../../../events/dynamodb/schema.ts';
import { parseStreamArn } from '../../../events/dynamodb/stream-arn.ts';
import { CHANGE_EVENT_NAMES, STREAM_VIEW_TYPES } from '../../../shared/contract/table-change.ts';
import { EventError } from '../../../shared/contract/errors.ts';
import { listCorpusFiles, loadCorpusEvent } from '../s3/corpus.ts';

/** Every key path of a JSON value (`dynamodb.Keys`), in order, to compare shapes, not values. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return key === 'Keys' || key.endsWith('Image') ? [path] : [path, ...keyPaths(inner, path)];
  });
}

const CAPTURES = listCorpusFiles().filter((file) => file.startsWith('ankcorn-dynamodb-streams-test-captures/'));
const captured = (file: string) => (loadCorpusEvent(file) as { Records: DynamoDBStreamRecord[] }).Records[0] as DynamoDBStreamRecord;

/** The generator's input that describes a captured record: its values, unmarshalled, and its identifiers. */
function inputFor(record: DynamoDBStreamRecord): DynamoDBStreamRecordInput {
  const [change] = normalizeDynamoDBStreamEvent({ Records: [record] });
  const arn = parseStreamArn(record.eventSourceARN ?? '');
  if (!change || !arn) throw new Error('expected a captured record with a stream ARN');
  return {
    table: arn.table,
    eventName: change.eventName,
    keys: change.keys,
    ...(change.newImage ? { newImage: change.newImage } : {}),
    ...(change.oldImage ? { oldImage: change.oldImage } : {}),
    ...(change.streamViewType ? { viewType: change.streamViewType } : {}),
    sequenceNumber: change.sequenceNumber,
    region: arn.region,
    approximateCreationTime: change.approximateCreationTime ?? new Date(0),
    eventID: change.eventID,
    accountId: arn.account,
    streamLabel: arn.label,
  };
}

const order = { table: 'orders', keys: { id: 'o-1' } };
const before = { id: 'o-1', status: 'placed', total: 12 };
const after = { id: 'o-1', status: 'paid', total: 12.5 };
const build = (input: Partial<DynamoDBStreamRecordInput>) => buildDynamoDBStreamRecord({ ...order, eventName: 'MODIFY', ...input });

describe('buildDynamoDBStreamRecord', () => {
  it('has the fields of a record captured from a real stream, in the same order', () => {
    const real = captured('ankcorn-dynamodb-streams-test-captures/NEW_AND_OLD_IMAGES_MODIFY.json');
    expect(keyPaths(build({ newImage: after, oldImage: before }))).toEqual(keyPaths(real));
  });

  it.each(CAPTURES)('rebuilds %s field for field from its values (SizeBytes and images by view type included)', (file) => {
    const real = captured(file);
    expect(buildDynamoDBStreamRecord(inputFor(real))).toEqual(real);
  });

  it('carries the images each view type carries, as real streams do', () => {
    const shown = (viewType: (typeof STREAM_VIEW_TYPES)[number], eventName: (typeof CHANGE_EVENT_NAMES)[number]) => {
      const images = eventName === 'INSERT' ? { newImage: after } : eventName === 'REMOVE' ? { oldImage: before } : { newImage: after, oldImage: before };
      const { dynamodb } = build({ eventName, viewType, ...images });
      return [dynamodb.NewImage ? 'new' : '', dynamodb.OldImage ? 'old' : ''].filter(Boolean).join('+') || 'keys';
    };
    const table = STREAM_VIEW_TYPES.map((view) => `${view}: ${CHANGE_EVENT_NAMES.map((name) => `${name}=${shown(view, name)}`).join(' ')}`);
    expect(table).toEqual([
      'NEW_AND_OLD_IMAGES: INSERT=new MODIFY=new+old REMOVE=old',
      'NEW_IMAGE: INSERT=new MODIFY=new REMOVE=keys',
      'OLD_IMAGE: INSERT=keys MODIFY=old REMOVE=old',
      'KEYS_ONLY: INSERT=keys MODIFY=keys REMOVE=keys',
    ]);
  });

  it('fills the rest as AWS does', () => {
    const record = build({ newImage: after, oldImage: before, approximateCreationTime: '2024-05-06T07:08:09.999Z' });
    expect(record).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: { ApproximateCreationDateTime: 1714979289, StreamViewType: 'NEW_AND_OLD_IMAGES', Keys: { id: { S: 'o-1' } } },
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000',
    });
    expect(record.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(record.dynamodb.SequenceNumber).toMatch(/^\d{21}$/);
    expect(record).not.toHaveProperty('userIdentity');
    expect(dynamoDBStreamEventSchema.safeParse(buildDynamoDBStreamEvent([record])).success).toBe(true);
  });

  it('takes the creation time as a Date, ISO text, epoch seconds or milliseconds, to the second', () => {
    const seconds = (approximateCreationTime: Date | number | string) => build({ approximateCreationTime }).dynamodb.ApproximateCreationDateTime;
    expect([new Date(1714979289999), '2024-05-06T07:08:09.999Z', 1714979289.999, 1714979289999].map(seconds)).toEqual([1714979289, 1714979289, 1714979289, 1714979289]);
  });

  it('names DynamoDB as the author of a deletion by Time to Live', () => {
    expect(build({ eventName: 'REMOVE', oldImage: before, ttl: true }).userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });

  it('counts SizeBytes by DynamoDB\'s item-size rules', () => {
    // Keys: "id" + "o-1" = 5. New: 5 + "n" + 12.5 (pairs 12|5 = 2, + 1) = 9, + "l" + list (3 + 1 + "a" + 1 + true) = 7, + "m" + map (3 + 1 + "k" + "v") = 7.
    const record = build({ eventName: 'INSERT', newImage: { id: 'o-1', n: 12.5, l: ['a', true], m: { k: 'v' } } });
    expect(record.dynamodb.SizeBytes).toBe(5 + 5 + 4 + 8 + 7);
  });

  it('gives sequence numbers that only go up, even within one millisecond', () => {
    const numbers = [nextGeneratedSequenceNumber(1_700_000_000_000), nextGeneratedSequenceNumber(1_700_000_000_000), nextGeneratedSequenceNumber(1_600_000_000_000)];
    expect(numbers.map(BigInt)).toEqual([...numbers].map(BigInt).sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(numbers).size).toBe(3);
  });
});

describe('generate, then normalize', () => {
  it('gives back the values it was given', () => {
    const item = {
      id: 'o-1',
      big: new NumberValue('123456789012345678901234567890'),
      total: 12.5,
      count: 3,
      tags: new Set(['a', 'b']),
      ratios: new Set([0.5, 2]),
      blob: new Uint8Array([0, 255, 7]),
      blobs: new Set([new Uint8Array([1]), new Uint8Array([2, 3])]),
      nested: { list: [1, 'two', null, false, { deep: true }] },
      nothing: null,
      empty: '',
    };
    const event = buildDynamoDBStreamEvent([build({ eventName: 'INSERT', newImage: item, viewType: 'NEW_IMAGE' })]);
    const [change] = normalizeDynamoDBStreamEvent(JSON.parse(JSON.stringify(event)));
    expect(change).toMatchObject({ eventName: 'INSERT', table: 'orders', keys: { id: 'o-1' }, newImage: item, streamViewType: 'NEW_IMAGE' });
  });

  it('writes a bigint key as DynamoDB writes numbers, and reads it back exact', () => {
    const record = buildDynamoDBStreamRecord({ table: 'orders', eventName: 'INSERT', keys: { id: 12345678901234567890n } });
    expect(record.dynamodb.Keys).toEqual({ id: { N: '12345678901234567890' } });
    expect((normalizeDynamoDBStreamEvent(buildDynamoDBStreamEvent([record]))[0]?.keys.id as NumberValue).value).toBe('12345678901234567890');
  });
});

describe('what a real stream could not deliver is refused, every problem named', () => {
  const message = (input: Partial<DynamoDBStreamRecordInput>) => {
    try {
      build(input);
    } catch (error) {
      expect(error).toBeInstanceOf(EventError);
      return (error as Error).message.replace(/^cannot build DynamoDB stream record: /, '');
    }
    throw new Error('expected the build to throw');
  };

  it.each([
    ['a new image on a REMOVE', { eventName: 'REMOVE', newImage: after }, 'newImage: a REMOVE has no new image: the item is gone'],
    ['an old image on an INSERT', { eventName: 'INSERT', oldImage: before }, 'oldImage: an INSERT has no old image: the item did not exist before'],
    ['an image without the keys', { newImage: { status: 'paid' } }, 'newImage: lacks the key attribute "id": every image holds the item\'s keys'],
    ['an image with other key values', { oldImage: { id: 'o-2' } }, 'oldImage: id: expected the key\'s value, "o-1" (string), found "o-2" (string)'],
    ['three key attributes', { keys: { a: 1, b: 2, c: 3 } }, 'keys: expected 1 or 2 key attributes (the partition key, and the sort key if the table has one), found 3'],
    ['a boolean key', { keys: { id: true } }, 'keys: id: expected a string, a number or binary (a key attribute\'s types), found true (boolean)'],
    ['an empty key', { keys: { id: '' } }, 'keys: id: expected a non-empty value: DynamoDB refuses an empty key attribute'],
    ['an empty set', { newImage: { id: 'o-1', tags: new Set() } }, 'newImage: tags: expected a set with at least one value, found an empty set: DynamoDB has no empty sets'],
    ['a JS number past 2^53', { newImage: { id: 'o-1', amounts: [1, 2 ** 60] } }, 'newImage: amounts[1]: the number 1152921504606847000 is past 2^53, where a JS number may have lost digits; give it as a NumberValue or a bigint'],
    ['39 significant digits', { newImage: { id: 'o-1', n: new NumberValue('1'.repeat(39)) } }, `newImage: n: expected a number DynamoDB can store, found ${'1'.repeat(39)}: more than 38 significant digits`],
    ['a number too small for DynamoDB', { newImage: { id: 'o-1', tiny: 1e-200 } }, 'newImage: tiny: expected a number DynamoDB can store, found 1e-200: smaller in magnitude than DynamoDB stores (1E-130 at least)'],
    ['NaN', { newImage: { id: 'o-1', ratio: Number.NaN } }, 'newImage: ratio: expected a finite number, found NaN'],
    ['TTL on an INSERT', { eventName: 'INSERT', ttl: true }, 'ttl: only a REMOVE is made by Time to Live, found INSERT'],
    ['a bad table name', { table: 'a b' }, 'table: expected a table name: 3-255 letters, digits, "_", "-" or ".", found "a b" (string)'],
    ['an unknown view type', { viewType: 'ALL' as never }, 'viewType: expected one of NEW_AND_OLD_IMAGES, NEW_IMAGE, OLD_IMAGE, KEYS_ONLY, found "ALL" (string)'],
    ['a sequence number with letters', { sequenceNumber: '12a' }, 'sequenceNumber: expected a sequence number (up to 40 decimal digits), found "12a" (string)'],
    ['a time that is not one', { approximateCreationTime: 'soon' }, 'approximateCreationTime: expected a date (ISO text, epoch seconds or a Date), found "soon" (string)'],
  ] as [string, Partial<DynamoDBStreamRecordInput>, string][])('%s', (_name, input, expected) => {
    expect(message(input)).toBe(expected);
  });

  it('names every problem at once', () => {
    expect(message({ eventName: 'REMOVE', newImage: after, keys: { id: true }, sequenceNumber: 'x' })).toBe(
      'sequenceNumber: expected a sequence number (up to 40 decimal digits), found "x" (string); keys: id: expected a string, a number or binary (a key attribute\'s types), found true (boolean); newImage: a REMOVE has no new image: the item is gone',
    );
  });
});
