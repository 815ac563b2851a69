import type { ShapeDetection } from '../parse-event.ts';
import { showValue } from '../parse-event.ts';
import { describeValue } from '../../shared/contract/describe-issue.ts';

/**
 * Tells which S3-related event a payload is, from the fields that identify it, before any
 * validation: the schema of the right shape then reports precise problems. Payloads that are about
 * S3 but do not report an object change (Batch Operations, Object Lambda, CloudTrail) are named
 * for what they are, because "missing Records" would send the reader looking in the wrong place.
 */

export type S3EventShape = 'notification' | 'test-event' | 'sqs' | 'sns' | 'sns-notification' | 'eventbridge';

type S3ShapeDetection = ShapeDetection<S3EventShape>;

const NOT_A_NOTIFICATION = 'not an S3 event notification';
const OBJECT_LAMBDA_CONTEXTS = ['getObjectContext', 'headObjectContext', 'listObjectsContext', 'listObjectsV2Context'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function detectRecords(records: unknown): S3ShapeDetection {
  // The schema reports a non-array Records, or broken records, with their paths.
  if (!Array.isArray(records) || !isRecord(records[0])) return { shape: 'notification' };
  const first = records[0];
  const source = first.eventSource ?? first.EventSource;
  if (source === undefined || source === 'aws:s3') return { shape: 'notification' };
  if (source === 'aws:sqs') return { shape: 'sqs' };
  if (source === 'aws:sns') return { shape: 'sns' };
  const field = first.eventSource === undefined ? 'EventSource' : 'eventSource';
  const expected = 'expected "aws:s3", or an "aws:sqs" or "aws:sns" delivery of one';
  return { path: ['Records', 0, field], problem: `${showValue(source)} records are ${NOT_A_NOTIFICATION} (${expected})` };
}

function detectBatchOperations(input: Record<string, unknown>): S3ShapeDetection {
  const version = showValue(input.invocationSchemaVersion);
  if (Array.isArray(input.tasks)) {
    const job = isRecord(input.job) && typeof input.job.id === 'string' ? `, job ${input.job.id}` : '';
    const what = `an S3 Batch Operations job invocation (invocationSchemaVersion ${version}${job}, ${plural(input.tasks.length, 'task')})`;
    return { path: [], problem: `this is ${what}, ${NOT_A_NOTIFICATION}` };
  }
  if (Array.isArray(input.results)) {
    const what = `an S3 Batch Operations result (the response a Lambda function returns to a batch job: invocationSchemaVersion ${version}, ${plural(input.results.length, 'result')})`;
    return { path: [], problem: `this is ${what}, ${NOT_A_NOTIFICATION}` };
  }
  return { path: [], problem: `this looks like an S3 Batch Operations payload (invocationSchemaVersion ${version}), ${NOT_A_NOTIFICATION}` };
}

function detectEventBridge(input: Record<string, unknown>): S3ShapeDetection {
  const detailType = input['detail-type'];
  if (input.source !== 'aws.s3') {
    return {
      path: ['source'],
      problem: `an EventBridge event from ${showValue(input.source)} is not an S3 event (expected source "aws.s3")`,
    };
  }
  if (detailType === 'AWS API Call via CloudTrail') {
    const what = 'an S3 API call recorded by CloudTrail ("AWS API Call via CloudTrail"), not an S3 object event';
    return { path: ['detail-type'], problem: `this is ${what}; enable EventBridge notifications on the bucket instead` };
  }
  return { shape: 'eventbridge' };
}

export function detectS3EventShape(input: unknown): S3ShapeDetection {
  if (!isRecord(input)) {
    return { path: [], problem: `expected an S3 event (a mapping), found ${describeValue(input)}` };
  }
  if ('Records' in input) return detectRecords(input.Records);
  if (input.Event === 's3:TestEvent') return { shape: 'test-event' };
  if ('detail-type' in input || input.source === 'aws.s3') return detectEventBridge(input);
  if ('invocationSchemaVersion' in input) return detectBatchOperations(input);
  const context = OBJECT_LAMBDA_CONTEXTS.find((name) => name in input);
  if (context) {
    const what = `an S3 Object Lambda request (${context}: a Lambda function transforming an object for a reader)`;
    return { path: [], problem: `this is ${what}, ${NOT_A_NOTIFICATION}` };
  }
  if (input.Type === 'Notification' && 'Message' in input) return { shape: 'sns-notification' };
  const keys = Object.keys(input);
  const found = keys.length ? `found keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', ...' : ''}` : 'found an empty object';
  const expected = 'expected "Records" (an S3 notification, or its SQS or SNS delivery), an s3:TestEvent, or an EventBridge event from aws.s3';
  return { path: [], problem: `not an S3 event: ${expected}; ${found}` };
}
