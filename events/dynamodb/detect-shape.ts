import type { ShapeDetection } from '../parse-event.ts';
import { showValue } from '../parse-event.ts';
import { describeValue } from '../../shared/contract/describe-issue.ts';

/**
 * Tells a DynamoDB stream event from the payloads it is confused with, before validation: those
 * are named for what they are, since "missing Records" would send the reader looking in the wrong
 * place. The schema then reports precise problems in what is a stream event.
 */

type StreamShapeDetection = ShapeDetection<'stream-event'>;

const NOT_AN_EVENT = 'not a DynamoDB stream event';
const THROUGH_KINESIS = 'a table streaming to Kinesis Data Streams delivers its changes inside Kinesis records, which Sluice does not read';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** A DynamoDB change as DynamoDB writes it to a Kinesis stream, not to its own stream. */
const isKinesisFormat = (record: Record<string, unknown>) => 'recordFormat' in record || 'tableName' in record;

const kinesisFormat = (record: Record<string, unknown>) =>
  `in the Kinesis Data Streams format (recordFormat ${showValue(record.recordFormat)}, tableName ${showValue(record.tableName)}, no SequenceNumber): ${THROUGH_KINESIS}`;

function detectRecords(records: unknown): StreamShapeDetection {
  // The schema reports a non-list Records, or broken records, with their paths.
  if (!Array.isArray(records) || !isRecord(records[0])) return { shape: 'stream-event' };
  const first = records[0];
  const source = first.eventSource ?? first.EventSource;
  if (source === 'aws:kinesis') {
    const problem = `"aws:kinesis" records are not DynamoDB stream records (expected "aws:dynamodb"): ${THROUGH_KINESIS}`;
    return { path: ['Records', 0, 'eventSource'], problem };
  }
  if (source !== undefined && source !== 'aws:dynamodb') {
    const field = first.eventSource === undefined ? 'EventSource' : 'eventSource';
    return { path: ['Records', 0, field], problem: `${showValue(source)} records are not DynamoDB stream records (expected "aws:dynamodb")` };
  }
  if (isKinesisFormat(first)) return { path: ['Records', 0], problem: `this DynamoDB change is ${kinesisFormat(first)}` };
  return { shape: 'stream-event' };
}

function describeBatchInfo(input: Record<string, unknown>): string {
  const info = isRecord(input.DDBStreamBatchInfo) ? input.DDBStreamBatchInfo : {};
  const size = typeof info.batchSize === 'number' ? `, ${plural(info.batchSize, 'record')}` : '';
  const range = `sequence numbers ${showValue(info.startSequenceNumber)} to ${showValue(info.endSequenceNumber)}`;
  const payload = isRecord(input.payload) ? '; its payload holds the failed event' : '';
  return `this is an on-failure destination record (DDBStreamBatchInfo: ${range}${size}): it names a failed batch, Lambda does not deliver it to a function${payload}`;
}

export function detectDynamoDBEventShape(input: unknown): StreamShapeDetection {
  if (!isRecord(input)) {
    return { path: [], problem: `expected a DynamoDB stream event (a mapping with "Records"), found ${describeValue(input)}` };
  }
  if ('Records' in input) return detectRecords(input.Records);
  if (isRecord(input.dynamodb) && (input.eventSource === 'aws:dynamodb' || 'eventName' in input)) {
    if (isKinesisFormat(input)) return { path: [], problem: `this is one DynamoDB change, ${kinesisFormat(input)}` };
    const what = `a single DynamoDB stream record (eventID ${showValue(input.eventID)})`;
    return { path: [], problem: `this is ${what}, not an event: Lambda delivers records in a list, { "Records": [ ... ] }` };
  }
  if (Array.isArray(input.batchItemFailures)) {
    const what = `a partial batch response (batchItemFailures: ${plural(input.batchItemFailures.length, 'item')})`;
    return { path: [], problem: `this is ${what}: what a function returns to Lambda, ${NOT_AN_EVENT}` };
  }
  if ('DDBStreamBatchInfo' in input) return { path: [], problem: describeBatchInfo(input) };
  const keys = Object.keys(input);
  const found = keys.length ? `found keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', ...' : ''}` : 'found an empty mapping';
  return { path: [], problem: `${NOT_AN_EVENT}: expected "Records" (a batch of stream records, with the window fields for a tumbling window); ${found}` };
}
