import { describe, expect, it } from 'vitest';
import { loadCorpusEvent } from '../s3/corpus.ts';
import { withField, withFields, withoutField } from '../s3/edit-event.ts';
import { refusal } from './summarize.ts';

/** Every malformed event throws one EventError whose message names the record, the field and what was expected. */

const update = () => loadCorpusEvent('aws-sam-cli/templates/DynamoDBUpdate.json');
const RECORD = ['Records', 0] as const;
const DATA = [...RECORD, 'dynamodb'] as const;
const ATTRIBUTE_TYPES = 'S, N, B, SS, NS, BS, M, L, NULL, BOOL';
const withValue = (value: unknown) => withField(update(), [...DATA, 'NewImage', 'Id'], value);

describe('malformed DynamoDB stream events', () => {
  it.each([
    ['missing dynamodb', withoutField(update(), [...RECORD, 'dynamodb']), 'Records[0].dynamodb: missing; expected a mapping'],
    ['missing Keys', withoutField(update(), [...DATA, 'Keys']), 'Records[0].dynamodb.Keys: missing; expected a mapping'],
    ['missing SequenceNumber', withoutField(update(), [...DATA, 'SequenceNumber']), 'Records[0].dynamodb.SequenceNumber: missing; expected a string'],
    ['missing eventID', withoutField(update(), [...RECORD, 'eventID']), 'Records[0].eventID: missing; expected a string'],
    ['a sequence number as a JSON number', withField(update(), [...DATA, 'SequenceNumber'], 111), 'Records[0].dynamodb.SequenceNumber: expected a string, found 111 (number)'],
    ['a sequence number with a letter', withField(update(), [...DATA, 'SequenceNumber'], '44215845x'), 'Records[0].dynamodb.SequenceNumber: expected a sequence number: decimal digits (21 to 40 in real streams; samples use fewer), found "44215845x" (string)'],
    ['a sequence number of 41 digits', withField(update(), [...DATA, 'SequenceNumber'], '1'.repeat(41)), 'Records[0].dynamodb.SequenceNumber: expected a sequence number: decimal digits (21 to 40 in real streams; samples use fewer), found "1111111111111111111111111111111111111..." (string)'],
    ['an unknown eventName', withField(update(), [...RECORD, 'eventName'], 'UPDATE'), 'Records[0].eventName: expected one of "INSERT", "MODIFY", "REMOVE", found "UPDATE" (string)'],
    ['another source in a later record', withField(update(), ['Records', 1, 'eventSource'], 'aws:s3'), 'Records[1].eventSource: expected "aws:dynamodb", found "aws:s3" (string)'],
    ['an unknown attribute type', withField(update(), [...DATA, 'Keys', 'Id'], { X: '101' }), `Records[0].dynamodb.Keys.Id.X: unknown attribute type "X"; expected one of ${ATTRIBUTE_TYPES}`],
    ['an attribute without its type', withField(update(), [...DATA, 'Keys', 'Id'], '101'), 'Records[0].dynamodb.Keys.Id: expected a mapping, found "101" (string)'],
    ['two types in one value', withValue({ N: '101', S: '101' }), 'Records[0].dynamodb.NewImage.Id: expected exactly one attribute type, found S and N'],
    ['no type at all', withValue({}), `Records[0].dynamodb.NewImage.Id: expected an attribute value with one of ${ATTRIBUTE_TYPES}, found an empty mapping`],
    ['a number that is not one', withValue({ N: 'one' }), 'Records[0].dynamodb.NewImage.Id.N: expected a DynamoDB number as decimal text ("42", "-1.5", "1E+3"), found "one" (string)'],
    ['a number as a JSON number', withValue({ N: 101 }), 'Records[0].dynamodb.NewImage.Id.N: expected a string, found 101 (number)'],
    ['a number DynamoDB cannot store', withValue({ N: '1'.repeat(39) }), 'Records[0].dynamodb.NewImage.Id.N: expected a number DynamoDB can store, found "111111111111111111111111111111111111111" (string): more than 38 significant digits'],
    ['binary that is not base64', withValue({ B: 'not base64!' }), 'Records[0].dynamodb.NewImage.Id.B: expected binary as base64 text, found "not base64!" (string)'],
    ['NULL false', withValue({ NULL: false }), 'Records[0].dynamodb.NewImage.Id.NULL: expected true, found false (boolean)'],
    ['a bad value deep in maps and lists', withValue({ M: { a: { L: [{ S: 'x' }, { SS: [1] }] } } }), 'Records[0].dynamodb.NewImage.Id.M.a.L[1].SS[0]: expected a string, found 1 (number)'],
    ['an unknown view type', withField(update(), [...DATA, 'StreamViewType'], 'ALL'), 'Records[0].dynamodb.StreamViewType: expected one of "NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY", found "ALL" (string)'],
    ['a creation time in words', withField(update(), [...DATA, 'ApproximateCreationDateTime'], 'yesterday'), 'Records[0].dynamodb.ApproximateCreationDateTime: expected epoch seconds, as a number or as decimal text, found "yesterday" (string)'],
    ['a negative creation time', withField(update(), [...DATA, 'ApproximateCreationDateTime'], -1), 'Records[0].dynamodb.ApproximateCreationDateTime: expected a number >= 0, found -1 (number)'],
    ['SizeBytes as text', withField(update(), [...DATA, 'SizeBytes'], '26'), 'Records[0].dynamodb.SizeBytes: expected a number, found "26" (string)'],
    ['Records not a list', { Records: {} }, 'Records: expected a list, found a mapping'],
    ['a record that is not a mapping', { Records: ['x'] }, 'Records[0]: expected a mapping, found "x" (string)'],
    ['text instead of an event', 'x', 'expected a DynamoDB stream event (a mapping with "Records"), found "x" (string)'],
    ['an S3 event', loadCorpusEvent('aws-sam-cli/templates/S3Put.json'), 'Records[0].eventSource: "aws:s3" records are not DynamoDB stream records (expected "aws:dynamodb")'],
    ['an empty mapping', {}, 'not a DynamoDB stream event: expected "Records" (a batch of stream records, with the window fields for a tumbling window); found an empty mapping'],
  ])('%s', (_name, input, message) => {
    expect(refusal(input)).toBe(`Invalid DynamoDB stream event: ${message}`);
  });

  it('lists every problem of every record, not only the first', () => {
    const event = withFields(update(), [
      [['Records', 0, 'dynamodb', 'SequenceNumber'], undefined],
      [['Records', 2, 'eventName'], 'DELETE'],
      [['Records', 2, 'dynamodb', 'OldImage', 'Message'], { S: 1 }],
    ]);
    expect(refusal(event)).toBe(
      [
        'Invalid DynamoDB stream event (3 problems):',
        '  Records[0].dynamodb.SequenceNumber: missing; expected a string',
        '  Records[2].eventName: expected one of "INSERT", "MODIFY", "REMOVE", found "DELETE" (string)',
        '  Records[2].dynamodb.OldImage.Message.S: expected a string, found 1 (number)',
      ].join('\n'),
    );
  });

  it('names an on-failure destination record for what it is', () => {
    const onFailure = {
      requestContext: { condition: 'RetryAttemptsExhausted' },
      DDBStreamBatchInfo: { shardId: 'shardId-1', startSequenceNumber: '100', endSequenceNumber: '200', batchSize: 2, streamArn: 'arn' },
      payload: { Records: [] },
    };
    expect(refusal(onFailure)).toBe(
      'Invalid DynamoDB stream event: this is an on-failure destination record (DDBStreamBatchInfo: sequence numbers "100" to "200", 2 records): it names a failed batch, Lambda does not deliver it to a function; its payload holds the failed event',
    );
  });
});
