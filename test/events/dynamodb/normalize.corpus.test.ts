import { describe, expect, it } from 'vitest';
import { creationTimeOf } from '../../../events/dynamodb/creation-time.ts';
import { NumberValue, normalizeDynamoDBStreamEvent } from '../../../events/dynamodb/normalize.ts';
import { loadCorpusEvent } from '../s3/corpus.ts';
import { withField } from '../s3/edit-event.ts';

/** What steps receive: values unmarshalled once, numbers exact, times to the second, the table from the ARN. */

const GO_EVENT = 'aws-lambda-go/dynamodb-event.json';
const SAM_UPDATE = 'aws-sam-cli/templates/DynamoDBUpdate.json';
const bytes = (...values: number[]) => new Uint8Array(values);
// A function, not a constant: a Set holds each array once, and the samples repeat this value.
const aaeqqq = () => bytes(0, 1, 42, 65);

function newImageWith(value: unknown): unknown {
  const [change] = normalizeDynamoDBStreamEvent(withField(loadCorpusEvent(SAM_UPDATE), ['Records', 0, 'dynamodb', 'NewImage', 'Value'], value));
  return change?.newImage?.Value;
}

describe('values, unmarshalled once', () => {
  it('gives every attribute type as a plain value (aws-lambda-go sample with all of them)', () => {
    const [, all] = normalizeDynamoDBStreamEvent(loadCorpusEvent(GO_EVENT));
    expect(all?.newImage).toEqual({
      val: 'data',
      asdf1: aaeqqq(),
      b2: bytes(181, 235, 45), // "test" is valid base64 too
      asdf2: new Set([aaeqqq(), bytes(65, 42, 1, 0), aaeqqq()]),
      key: 'binary',
      Binary: aaeqqq(),
      Boolean: true,
      BinarySet: new Set([aaeqqq(), aaeqqq()]),
      List: ['Cookies', 'Coffee', 3.14159],
      Map: { Name: 'Joe', Age: 35 },
      FloatNumber: 123.45,
      IntegerNumber: 123,
      NumberSet: new Set([1234, 567.8]),
      Null: null,
      String: 'Hello',
      StringSet: new Set(['Giraffe', 'Zebra']),
      EmptyStringSet: new Set(), // real DynamoDB cannot store one; the sample has it
    });
    expect(all?.newImage?.Binary).toBeInstanceOf(Uint8Array);
  });

  it.each([
    ['an integer', '42', 42],
    ['a decimal', '-123.45', -123.45],
    ['trailing zeros', '1.50', 1.5],
    ['an exponent', '1E+3', 1000],
    ['negative zero', '-0', 0],
    ['the largest exact integer', '9007199254740991', 9007199254740991],
  ])('gives %s as a JS number when it survives exactly (%s)', (_name, text, expected) => {
    expect(newImageWith({ N: text })).toBe(expected);
  });

  it.each([
    ['one past 2^53', '9007199254740993', '9007199254740993'],
    ['38 significant digits', '1.2345678901234567890123456789012345678', '1.2345678901234567890123456789012345678'],
    ['a tiny fraction JS would write with an exponent', '1e-7', '0.0000001'],
    ['a big power of ten', '1E+21', '1000000000000000000000'],
  ])('keeps %s exact as a NumberValue in DynamoDB\'s decimal form', (_name, text, exact) => {
    const value = newImageWith({ N: text });
    expect(value).toBeInstanceOf(NumberValue);
    expect((value as NumberValue).value).toBe(exact);
  });

  it('keeps a 20-digit key exact, and gives it to BigInt', () => {
    const event = withField(loadCorpusEvent(SAM_UPDATE), ['Records', 0, 'dynamodb', 'Keys', 'Id'], { N: '12345678901234567890' });
    const [change] = normalizeDynamoDBStreamEvent(event);
    expect((change?.keys.Id as NumberValue).toBigInt()).toBe(12345678901234567890n);
  });

  it('reads number sets element by element, each exact', () => {
    const set = newImageWith({ NS: ['1', '0.1', '123456789012345678901234567890'] }) as Set<unknown>;
    expect([...set].map((item) => (item instanceof NumberValue ? item.value : item))).toEqual([1, 0.1, '123456789012345678901234567890']);
  });

  it('nests maps and lists', () => {
    expect(newImageWith({ M: { items: { L: [{ M: { sku: { S: 'a' }, qty: { N: '2' } } }, { NULL: true }] } } })).toEqual({ items: [{ sku: 'a', qty: 2 }, null] });
  });
});

describe('record fields', () => {
  it('takes the table from the stream ARN, and keeps the ARN', () => {
    const [change] = normalizeDynamoDBStreamEvent(loadCorpusEvent('ankcorn-dynamodb-streams-test-captures/NEW_IMAGE_INSERT.json'));
    expect(change?.table).toBe('dynamodb-streams-test-experiment-NewTable-UK5PFMFS64LS');
    expect(change?.streamArn).toMatch(/^arn:aws:dynamodb:eu-west-1:🦊:table\/.*\/stream\/2020-07-16T21:40:16\.987$/u);
  });

  it('keeps an eventSourceARN that is not an ARN, without a table', () => {
    const [change] = normalizeDynamoDBStreamEvent(loadCorpusEvent('powertools-lambda-typescript/examples/sampleDynamoDBStreamsEvent.json'));
    expect(change).toMatchObject({ streamArn: 'eventsource_arn' });
    expect(change).not.toHaveProperty('table');
  });

  it('reads a tumbling-window invocation by its Records, the window\'s ARN standing in for a record without one', () => {
    const event = loadCorpusEvent('aws-lambda-java-libs/ddb/dynamo_time_window_event.json') as { Records: Record<string, unknown>[] };
    delete event.Records[0]?.eventSourceARN;
    const changes = normalizeDynamoDBStreamEvent(event);
    expect(changes.map((change) => change.table)).toEqual(['ExampleTableWithStream', 'ExampleTableWithStream']);
  });

  it('keeps sequence numbers as text, past what a JS number holds', () => {
    const changes = normalizeDynamoDBStreamEvent(loadCorpusEvent(SAM_UPDATE));
    expect(changes.map((change) => change.sequenceNumber)).toEqual(['4421584500000000017450439091', '4421584500000000017450439092', '4421584500000000017450439093']);
  });

  it('leaves out what the record does not have', () => {
    const [change] = normalizeDynamoDBStreamEvent(loadCorpusEvent('aws-lambda-java-libs/ddb/dynamo_time_window_event.json'));
    expect(change).not.toHaveProperty('approximateCreationTime');
    expect(change).not.toHaveProperty('oldImage');
  });
});

describe('ApproximateCreationDateTime, to the second', () => {
  const second = new Date('2021-11-01T02:40:07.000Z');
  it.each([
    ['seconds', 1635734407],
    ['float seconds', 1635734407.0],
    // Read from JSON text, as the Java sample is: the literal has more digits than a double holds.
    ['Java exponent notation with more digits than a double holds', JSON.parse('1.635734407123456789E9') as number],
    ['milliseconds (DynamoDB through Kinesis)', 1635734407123],
    ['microseconds', 1635734407123456],
    ['seconds as text (the Lambda docs\' filtering example)', '1635734407.0'],
  ])('reads %s', (_name, value) => {
    expect(creationTimeOf(value)).toEqual(second);
  });

  it('reads it in an event', () => {
    const event = withField(loadCorpusEvent(SAM_UPDATE), ['Records', 0, 'dynamodb', 'ApproximateCreationDateTime'], 1731924555370);
    expect(normalizeDynamoDBStreamEvent(event)[0]?.approximateCreationTime).toEqual(new Date('2024-11-18T10:09:15.000Z'));
  });
});
