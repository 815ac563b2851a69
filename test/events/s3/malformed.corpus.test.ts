import { describe, expect, it } from 'vitest';
import { EventError } from '../../../shared/contract/errors.ts';
import { normalizeS3Event } from '../../../events/s3/normalize.ts';
import { loadCorpusEvent, readCorpusText } from './corpus.ts';
import { deliveries } from './deliveries.ts';
import { withField, withFields, withoutField } from './edit-event.ts';

/** Every malformed event throws one EventError whose message names where and what is wrong. */

const PUT = 'aws-s3-userguide-doc-examples/s3-objectcreated-put-example.json';
const put = () => loadCorpusEvent(PUT);
const RECORD = ['Records', 0] as const;
const OBJECT = [...RECORD, 's3', 'object'] as const;

function errorOf(input: unknown): EventError {
  try {
    normalizeS3Event(input);
  } catch (error) {
    expect(error).toBeInstanceOf(EventError);
    expect((error as EventError).code).toBe('EVENT_INVALID');
    expect((error as EventError).permanent).toBe(true);
    return error as EventError;
  }
  throw new Error('expected normalizeS3Event to throw');
}

describe('malformed S3 events', () => {
  it.each([
    ['missing s3', withoutField(put(), [...RECORD, 's3']), 'Records[0].s3: missing; expected a mapping'],
    ['missing key', withoutField(put(), [...OBJECT, 'key']), 'Records[0].s3.object.key: missing; expected a string'],
    ['a numeric key', withField(put(), [...OBJECT, 'key'], 42), 'Records[0].s3.object.key: expected a string, found 42 (number)'],
    ['a size as text', withField(put(), [...OBJECT, 'size'], '1024'), 'Records[0].s3.object.size: expected a number, found "1024" (string)'],
    ['a fractional size', withField(put(), [...OBJECT, 'size'], 10.5), 'Records[0].s3.object.size: expected an integer, found 10.5 (number)'],
    ['a negative size', withField(put(), [...OBJECT, 'size'], -1), 'Records[0].s3.object.size: expected a number >= 0, found -1 (number)'],
    ['a null bucket', withField(put(), [...RECORD, 's3', 'bucket'], null), 'Records[0].s3.bucket: expected a mapping, found null'],
    ['an empty bucket name', withField(put(), [...RECORD, 's3', 'bucket', 'name'], ''), 'Records[0].s3.bucket.name: expected at least 1 character, found "" (string)'],
    ['Records not a list', { Records: {} }, 'Records: expected a list, found a mapping'],
    ['a record that is not an object', { Records: ['x'] }, 'Records[0]: expected a mapping, found "x" (string)'],
    ['eventVersion 3.0', withField(put(), [...RECORD, 'eventVersion'], '3.0'), 'Records[0].eventVersion: unsupported eventVersion "3.0": only S3 event format 2.x (2.0 to 2.3 seen so far) is understood'],
    ['eventVersion 1.0', withField(put(), [...RECORD, 'eventVersion'], '1.0'), 'Records[0].eventVersion: unsupported eventVersion "1.0"'],
    ['a malformed escape', withField(put(), [...OBJECT, 'key'], 'photos/%E0%A4%A.jpg'), 'Records[0].s3.object.key: cannot decode S3 object key "photos/%E0%A4%A.jpg": "%A." at position 13 is not a percent escape'],
    ['a non-hex escape', withField(put(), [...OBJECT, 'key'], 'a%zz'), 'Records[0].s3.object.key: cannot decode S3 object key "a%zz": "%zz" at position 1 is not a percent escape'],
    ['escapes that are not UTF-8', withField(put(), [...OBJECT, 'key'], 'caf%E9.jpg'), 'Records[0].s3.object.key: cannot decode S3 object key "caf%E9.jpg": its percent escapes do not form valid UTF-8'],
  ])('%s', (_name, input, message) => {
    expect(errorOf(input).message).toContain(`Invalid S3 event: ${message}`);
  });

  it('lists every problem of every record, not only the first', () => {
    const [record] = (put() as { Records: unknown[] }).Records;
    const event = {
      Records: [
        record,
        withFields(record, [[['s3', 'object', 'key'], 42], [['awsRegion'], undefined]]),
        withField(record, ['s3', 'object', 'key'], 'a%zz'),
        withField(record, ['eventSource'], 'aws:sqs'),
      ],
    };
    expect(errorOf(event).message).toBe(
      [
        'Invalid S3 event (3 problems):',
        '  Records[1].awsRegion: missing; expected a string',
        '  Records[1].s3.object.key: expected a string, found 42 (number)',
        '  Records[3].eventSource: expected "aws:s3", found "aws:sqs" (string)',
      ].join('\n'),
    );
  });

  it('reports key problems of all records once the records have the right shape', () => {
    const [record] = (put() as { Records: unknown[] }).Records;
    const event = { Records: [withField(record, ['s3', 'object', 'key'], '%'), record, withField(record, ['s3', 'object', 'key'], '%C3')] };
    expect(errorOf(event).message).toMatch(/^Invalid S3 event \(2 problems\):\n {2}Records\[0\]\.s3\.object\.key: .*\n {2}Records\[2\]\.s3\.object\.key: .*UTF-8$/);
  });

  it('names a truncated record by the fields it lacks', () => {
    const truncated = { Records: [{ eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-west-2' }] };
    expect(errorOf(truncated).message).toBe(
      [
        'Invalid S3 event (6 problems):',
        '  Records[0].eventTime: missing; expected a string',
        '  Records[0].eventName: missing; expected a string',
        '  Records[0].userIdentity: missing; expected a mapping',
        '  Records[0].requestParameters: missing; expected a mapping',
        '  Records[0].responseElements: missing; expected a mapping',
        '  Records[0].s3: missing; expected a mapping',
      ].join('\n'),
    );
  });

  it('names truncated JSON inside an SQS body, and where it is', () => {
    const text = readCorpusText(PUT);
    const event = deliveries.sqs(null);
    (event.Records[0] as { body: string }).body = text.slice(0, text.length / 2);
    expect(errorOf(event).message).toMatch(/^Invalid S3 event: Records\[0\]\.body: expected the S3 event as JSON text, but it is not valid JSON \(.+\)$/);
  });

  it('reports the problems of every message of an SQS batch', () => {
    const message = (body: unknown) => ({ ...deliveries.sqs(null).Records[0], body: typeof body === 'string' ? body : JSON.stringify(body) });
    const batch = { Records: [message(put()), message('{"Records": ['), message(loadCorpusEvent('aws-lambda-go/s3-batch-job-event-response.json'))] };
    expect(errorOf(batch).message).toMatch(
      /^Invalid S3 event \(2 problems\):\n {2}Records\[1\]\.body: expected the S3 event as JSON text, but it is not valid JSON \(.+\)\n {2}Records\[2\]\.body: this is an S3 Batch Operations result/,
    );
  });

  it('names a broken field inside an SNS message by its full path', () => {
    const event = deliveries.sns(withField(put(), [...OBJECT, 'key'], 42));
    expect(errorOf(event).message).toBe('Invalid S3 event: Records[0].Sns.Message.Records[0].s3.object.key: expected a string, found 42 (number)');
  });

  it('refuses events wrapped deeper than SNS through SQS', () => {
    expect(errorOf(deliveries.sqs(deliveries.sqs(deliveries.sqs(put())))).message).toBe(
      'Invalid S3 event: Records[0].body.Records[0].body.Records[0].body: S3 event wrapped more than 2 levels deep (expected S3 -> SNS -> SQS at most)',
    );
  });

  it.each([
    [null, 'expected an S3 event (a mapping), found null'],
    ['{"Records": []}', 'expected an S3 event (a mapping), found "{\\"Records\\": []}" (string)'],
    [[], 'expected an S3 event (a mapping), found a list of 0 items'],
    [{}, 'not an S3 event: expected "Records" (an S3 notification, or its SQS or SNS delivery), an s3:TestEvent, or an EventBridge event from aws.s3; found an empty object'],
    [{ foo: 1, bar: 2 }, 'not an S3 event: expected "Records" (an S3 notification, or its SQS or SNS delivery), an s3:TestEvent, or an EventBridge event from aws.s3; found keys foo, bar'],
  ])('rejects garbage %j', (input, message) => {
    expect(errorOf(input).message).toBe(`Invalid S3 event: ${message}`);
  });

  it('names a DynamoDB stream event for what it is', () => {
    expect(errorOf(loadCorpusEvent('aws-lambda-go/dynamodb-event.json')).message).toBe(
      'Invalid S3 event: Records[0].eventSource: "aws:dynamodb" records are not an S3 event notification (expected "aws:s3", or an "aws:sqs" or "aws:sns" delivery of one)',
    );
  });

  it('names an s3:TestEvent missing its fields', () => {
    const test = withoutField(loadCorpusEvent('aws-s3-userguide-doc-examples/s3-test-event.json'), ['Bucket']);
    expect(errorOf(test).message).toBe('Invalid S3 event: Bucket: missing; expected a string');
  });

  describe('EventBridge', () => {
    const created = () => loadCorpusEvent('powertools-lambda-typescript/parser-tests-events/s3/eventbridge-object-created.json');

    it('names a missing object key', () => {
      expect(errorOf(withoutField(created(), ['detail', 'object', 'key'])).message).toBe('Invalid S3 event: detail.object.key: missing; expected a string');
    });

    it('rejects CloudTrail API calls, which name no object change', () => {
      const cloudTrail = withFields(created(), [[['detail-type'], 'AWS API Call via CloudTrail'], [['detail'], { eventName: 'PutObject' }]]);
      expect(errorOf(cloudTrail).message).toBe(
        'Invalid S3 event: detail-type: this is an S3 API call recorded by CloudTrail ("AWS API Call via CloudTrail"), not an S3 object event; enable EventBridge notifications on the bucket instead',
      );
    });

    it('rejects events from other sources', () => {
      expect(errorOf(withField(created(), ['source'], 'aws.ec2')).message).toBe(
        'Invalid S3 event: source: an EventBridge event from "aws.ec2" is not an S3 event (expected source "aws.s3")',
      );
    });
  });
});
