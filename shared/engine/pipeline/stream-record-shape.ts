import type { AttributeType } from '../../../events/dynamodb/schema.ts';

/**
 * What a DynamoDB stream record holds where, as Lambda matches filters against it (images
 * marshalled): enough to refuse a filter that could never match, such as a field the record does
 * not have, a matcher on a mapping (`exists` works on leaves only), or numeric matching on `N`
 * values, which are strings in the record. A test keeps the field names in step with the
 * record's schema in events/dynamodb/schema.ts.
 */

/** What a leaf of the record holds: `number-text` is a DynamoDB number, a string such as "42". */
export type LeafValue = 'string' | 'number-text' | 'number' | 'boolean' | 'true';

export type RecordShape =
  | { kind: 'leaf'; holds: LeafValue }
  | { kind: 'fields'; what: string; fields: Readonly<Record<string, RecordShape>> }
  /** Attribute names, free, each holding a typed attribute value: an image, or an `M`. */
  | { kind: 'attributes'; what: string };

const leaf = (holds: LeafValue): RecordShape => ({ kind: 'leaf', holds });

/** `{ "S": ... }`, `{ "N": ... }`, ...: one attribute value; `L` holds attribute values too, each matched alike. */
export const ATTRIBUTE_VALUE_SHAPE: RecordShape = {
  kind: 'fields',
  what: 'an attribute value',
  fields: {
    S: leaf('string'),
    N: leaf('number-text'),
    B: leaf('string'),
    SS: leaf('string'),
    NS: leaf('number-text'),
    BS: leaf('string'),
    get M(): RecordShape {
      return { kind: 'attributes', what: 'an M value' };
    },
    get L(): RecordShape {
      return ATTRIBUTE_VALUE_SHAPE;
    },
    NULL: leaf('true'),
    BOOL: leaf('boolean'),
  } satisfies Record<AttributeType, RecordShape>,
};

const image = (what: string): RecordShape => ({ kind: 'attributes', what });

export const STREAM_RECORD_SHAPE: RecordShape = {
  kind: 'fields',
  what: 'a DynamoDB stream record',
  fields: {
    eventID: leaf('string'),
    eventName: leaf('string'),
    eventVersion: leaf('string'),
    eventSource: leaf('string'),
    awsRegion: leaf('string'),
    eventSourceARN: leaf('string'),
    userIdentity: { kind: 'fields', what: 'userIdentity', fields: { type: leaf('string'), principalId: leaf('string') } },
    dynamodb: {
      kind: 'fields',
      what: 'dynamodb',
      fields: {
        ApproximateCreationDateTime: leaf('number'),
        Keys: image('Keys'),
        NewImage: image('NewImage'),
        OldImage: image('OldImage'),
        SequenceNumber: leaf('string'),
        SizeBytes: leaf('number'),
        StreamViewType: leaf('string'),
      },
    },
  },
};
