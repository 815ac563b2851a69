import { z } from 'zod';
import { describeValue } from '../../shared/contract/describe-issue.ts';
import { CHANGE_EVENT_NAMES, STREAM_VIEW_TYPES } from '../../shared/contract/table-change.ts';
import { decimalProblem, parseDecimal } from './dynamodb-number.ts';

/**
 * The DynamoDB stream event shapes Lambda delivers, declared once; every type below is derived
 * from them. Loose where AWS and the samples vary (extra fields are never an error), exact where
 * a consumer relies on a value: attribute values, sequence numbers, the event name.
 */

export const ATTRIBUTE_TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

const numberText = z.string().superRefine((text, ctx) => {
  const parsed = parseDecimal(text);
  const problem = parsed && decimalProblem(parsed);
  if (!parsed) ctx.addIssue({ code: 'custom', message: `expected a DynamoDB number as decimal text ("42", "-1.5", "1E+3"), found ${describeValue(text)}` });
  else if (problem) ctx.addIssue({ code: 'custom', message: `expected a number DynamoDB can store, found ${describeValue(text)}: ${problem}` });
});

const base64Text = z
  .string()
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'binary as base64 text');

/**
 * One attribute value as the stream record carries it: marshalled, numbers as text, binary as
 * base64. Every member is optional in the type; the check makes sure exactly one is set, and
 * names an unknown type with the list of known ones (hence a loose object: it keeps the keys it
 * does not know for the check to see).
 */
export const attributeValueSchema = z
  .looseObject({
    S: z.string().optional(),
    N: numberText.optional(),
    B: base64Text.optional(),
    SS: z.array(z.string()).optional(),
    NS: z.array(numberText).optional(),
    BS: z.array(base64Text).optional(),
    NULL: z.literal(true).optional(),
    BOOL: z.boolean().optional(),
    get M() {
      return z.record(z.string(), attributeValueSchema).optional();
    },
    get L() {
      return z.array(attributeValueSchema).optional();
    },
  })
  .superRefine((value, ctx) => {
    const keys = Object.keys(value);
    const unknown = keys.filter((key) => !(ATTRIBUTE_TYPES as readonly string[]).includes(key));
    for (const key of unknown) {
      ctx.addIssue({ code: 'custom', path: [key], message: `unknown attribute type "${key}"; expected one of ${ATTRIBUTE_TYPES.join(', ')}` });
    }
    const types = keys.filter((key) => !unknown.includes(key));
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: `expected an attribute value with one of ${ATTRIBUTE_TYPES.join(', ')}, found an empty mapping` });
    }
    if (types.length > 1) ctx.addIssue({ code: 'custom', message: `expected exactly one attribute type, found ${types.join(' and ')}` });
  });

/** `Keys`, `NewImage`, `OldImage`: attribute names to marshalled values. */
export const imageSchema = z.record(z.string(), attributeValueSchema);

const sequenceNumberSchema = z
  .string()
  .regex(/^\d{1,40}$/, 'a sequence number: decimal digits (21 to 40 in real streams; samples use fewer)');

/**
 * Epoch seconds in native streams (integer in real captures, `1693997155.0` or `1.4285376E9` in
 * samples); milliseconds or microseconds when DynamoDB changes come through Kinesis; the Lambda
 * docs' filtering example writes it as text (`"1678831218.0"`).
 */
const creationTimeSchema = z.union([
  z.number().nonnegative(),
  z.string().regex(/^\d+(\.\d+)?([eE][+-]?\d+)?$/, 'epoch seconds, as a number or as decimal text'),
]);

export const streamRecordDataSchema = z.looseObject({
  ApproximateCreationDateTime: creationTimeSchema.optional(),
  Keys: imageSchema,
  NewImage: imageSchema.optional(),
  OldImage: imageSchema.optional(),
  SequenceNumber: sequenceNumberSchema,
  SizeBytes: z.number().int().nonnegative().optional(),
  // Absent in some samples; fixed per stream in reality.
  StreamViewType: z.enum(STREAM_VIEW_TYPES).optional(),
});

export const dynamoDBStreamRecordSchema = z.looseObject({
  eventID: z.string().min(1),
  eventName: z.enum(CHANGE_EVENT_NAMES),
  eventVersion: z.string().optional(),
  eventSource: z.literal('aws:dynamodb'),
  awsRegion: z.string().optional(),
  // Often not an ARN in samples ("stream-ARN"): only read for the table name when it is one.
  eventSourceARN: z.string().optional(),
  // Only on deletions made by TTL in reality: { type: "Service", principalId: "dynamodb.amazonaws.com" }.
  userIdentity: z.looseObject({ type: z.string(), principalId: z.string() }).optional(),
  dynamodb: streamRecordDataSchema,
});

/** A batch as Lambda delivers it; a tumbling-window invocation adds the window fields beside `Records`. */
export const dynamoDBStreamEventSchema = z.looseObject({
  Records: z.array(dynamoDBStreamRecordSchema),
  window: z.looseObject({ start: z.string(), end: z.string() }).optional(),
  state: z.record(z.string(), z.unknown()).optional(),
  shardId: z.string().optional(),
  eventSourceARN: z.string().optional(),
  isFinalInvokeForWindow: z.boolean().optional(),
  isWindowTerminatedEarly: z.boolean().optional(),
});

export type WireAttributeValue = z.output<typeof attributeValueSchema>;
export type WireImage = z.output<typeof imageSchema>;
export type DynamoDBStreamRecordData = z.output<typeof streamRecordDataSchema>;
export type DynamoDBStreamRecord = z.output<typeof dynamoDBStreamRecordSchema>;
export type DynamoDBStreamEvent = z.output<typeof dynamoDBStreamEventSchema>;
