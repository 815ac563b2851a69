import { describe, expect, it } from 'vitest';
import { normalizeDynamoDBStreamEvent } from '../../../events/dynamodb/normalize.ts';
import { listCorpusFiles, loadCorpusEvent, readCorpusText } from '../s3/corpus.ts';
import { refusal, summarizeChange } from './summarize.ts';

/**
 * Every DynamoDB-stream file of the corpus has an entry below: what it normalizes to, or why it is
 * refused. A file added to the corpus without an entry fails the first test, so nothing is
 * skipped silently. One line per change:
 * `eventName table sequenceNumber time keys new=<attributes> old=<attributes> viewType sizeBytes`
 * (`-` is an absent value; a sample's eventSourceARN that is not an ARN names no table).
 */

type Expectation =
  | { changes: string[] }
  | { rejected: string; wrapped?: string }
  | { notJson: true }
  | { coveredBy: string };

const captured = (view: string, table: string, events: [string, string, string, string, string, number][]) =>
  events.map(([name, sequence, time, newImage, oldImage, size]) =>
    `${name} dynamodb-streams-test-experiment-${table} ${sequence} 2020-07-16T${time}.000Z {"sk":"b","pk":"a"} new=${newImage} old=${oldImage} ${view} ${size}`);
const EXAMPLE_TABLE = 'ExampleTableWithStream';
const id101 = (name: string, table: string, sequence: string, time: string, images: string, size: number) =>
  `${name} ${table} ${sequence} ${time} {"Id":101} ${images} NEW_AND_OLD_IMAGES ${size}`;
const insertModifyRemove = (table: string, sequences: string[], times: string[]) => [
  id101('INSERT', table, sequences[0] ?? '', times[0] ?? '', 'new=Message,Id old=-', 26),
  id101('MODIFY', table, sequences[1] ?? '', times[1] ?? '', 'new=Message,Id old=Message,Id', 59),
  id101('REMOVE', table, sequences[2] ?? '', times[2] ?? '', 'new=- old=Message,Id', 38),
];
const SAM_SEQUENCES = ['4421584500000000017450439091', '4421584500000000017450439092', '4421584500000000017450439093'];
const APRIL_2015 = '2015-04-09T00:00:00.000Z';
const JAVA_FLOAT_TIME = '2021-11-01T02:40:07.000Z'; // 1.635734407123456789E9, read to the second
const snapshots = { coveredBy: 'localstack-snapshots.corpus.test.ts' };
const singleRecord = 'this is a single DynamoDB stream record (eventID "c81e728d9d4c2f636f067f89cc14862c"), not an event: Lambda delivers records in a list, { "Records": [ ... ] }';
const throughKinesis = 'a table streaming to Kinesis Data Streams delivers its changes inside Kinesis records, which Sluice does not read';
const kinesisFormat = `in the Kinesis Data Streams format (recordFormat "application/json", tableName "examples", no SequenceNumber): ${throughKinesis}`;

const expectations: Record<string, Expectation> = {
  'ankcorn-dynamodb-streams-test-captures/KEYS_ONLY_INSERT.json': { changes: captured('KEYS_ONLY', 'KeysOnlyTable-T9GRX95EFTIV', [['INSERT', '400000000008367680596', '21:44:42', '-', '-', 6]]) },
  'ankcorn-dynamodb-streams-test-captures/KEYS_ONLY_MODIFY.json': { changes: captured('KEYS_ONLY', 'KeysOnlyTable-T9GRX95EFTIV', [['MODIFY', '500000000008367681389', '21:44:46', '-', '-', 6]]) },
  'ankcorn-dynamodb-streams-test-captures/KEYS_ONLY_REMOVE.json': { changes: captured('KEYS_ONLY', 'KeysOnlyTable-T9GRX95EFTIV', [['REMOVE', '600000000008367682943', '21:44:53', '-', '-', 6]]) },
  'ankcorn-dynamodb-streams-test-captures/NEW_AND_OLD_IMAGES_INSERT.json': { changes: captured('NEW_AND_OLD_IMAGES', 'NewOldTable-7U1U2U9UKTB7', [['INSERT', '100000000027074219927', '21:50:34', 'data,sk,pk', '-', 20]]) },
  'ankcorn-dynamodb-streams-test-captures/NEW_AND_OLD_IMAGES_MODIFY.json': { changes: captured('NEW_AND_OLD_IMAGES', 'NewOldTable-7U1U2U9UKTB7', [['MODIFY', '200000000027074221525', '21:50:38', 'data,sk,pk', 'data,sk,pk', 35]]) },
  'ankcorn-dynamodb-streams-test-captures/NEW_AND_OLD_IMAGES_REMOVE.json': { changes: captured('NEW_AND_OLD_IMAGES', 'NewOldTable-7U1U2U9UKTB7', [['REMOVE', '300000000027074223641', '21:50:44', '-', 'data,sk,pk', 21]]) },
  'ankcorn-dynamodb-streams-test-captures/NEW_IMAGE_INSERT.json': { changes: captured('NEW_IMAGE', 'NewTable-UK5PFMFS64LS', [['INSERT', '100000000061894315953', '21:53:54', 'data,sk,pk', '-', 20]]) },
  'ankcorn-dynamodb-streams-test-captures/NEW_IMAGE_MODIFY.json': { changes: captured('NEW_IMAGE', 'NewTable-UK5PFMFS64LS', [['MODIFY', '200000000061894317177', '21:53:58', 'data,sk,pk', '-', 21]]) },
  'ankcorn-dynamodb-streams-test-captures/NEW_IMAGE_REMOVE.json': { changes: captured('NEW_IMAGE', 'NewTable-UK5PFMFS64LS', [['REMOVE', '300000000061894318607', '21:54:03', '-', '-', 6]]) },
  'ankcorn-dynamodb-streams-test-captures/OLD_IMAGE_INSERT.json': { changes: captured('OLD_IMAGE', 'OldTable-192VIK0LBSGG9', [['INSERT', '100000000009040647000', '21:55:30', '-', '-', 6]]) },
  'ankcorn-dynamodb-streams-test-captures/OLD_IMAGE_MODIFY.json': { changes: captured('OLD_IMAGE', 'OldTable-192VIK0LBSGG9', [['MODIFY', '200000000009040648822', '21:55:36', '-', 'data,sk,pk', 20]]) },
  'ankcorn-dynamodb-streams-test-captures/OLD_IMAGE_REMOVE.json': { changes: captured('OLD_IMAGE', 'OldTable-192VIK0LBSGG9', [['REMOVE', '300000000009040650280', '21:55:40', '-', 'data,sk,pk', 21]]) },
  'aws-lambda-go/dynamodb-event-malformed.2.json': { notJson: true },
  'aws-lambda-go/dynamodb-event.json': {
    changes: [
      'INSERT Example-Table 1405400000000002063282832 2016-12-02T01:27:00.000Z {"val":"data","key":"binary"} new=val,asdf1,asdf2,key old=- NEW_AND_OLD_IMAGES 54',
      'INSERT Example-Table 1405400000000002063282832 2016-12-02T01:27:00.000Z {"val":"data","key":"binary"} new=val,asdf1,b2,asdf2,key,Binary,Boolean,BinarySet,List,Map,FloatNumber,IntegerNumber,NumberSet,Null,String,StringSet,EmptyStringSet old=- NEW_AND_OLD_IMAGES 54',
    ],
  },
  'aws-lambda-go/dynamodb-time-window-event.json': { changes: insertModifyRemove('-', ['111', '222', '333'], Array(3).fill('2016-12-02T01:27:00.000Z')) },
  'aws-lambda-java-libs/ddb/dynamo_ddb_stream_record.json': {
    rejected: singleRecord,
    wrapped: id101('MODIFY', EXAMPLE_TABLE, '4421584500000000017450439092', JAVA_FLOAT_TIME, 'new=Message,Id old=Message,Id', 59),
  },
  'aws-lambda-java-libs/ddb/dynamo_event.json': { changes: insertModifyRemove(EXAMPLE_TABLE, SAM_SEQUENCES, [APRIL_2015, JAVA_FLOAT_TIME, APRIL_2015]) },
  'aws-lambda-java-libs/ddb/dynamo_event_roundtrip.json': { changes: insertModifyRemove(EXAMPLE_TABLE, SAM_SEQUENCES, [APRIL_2015, JAVA_FLOAT_TIME, APRIL_2015]) },
  'aws-lambda-java-libs/ddb/dynamo_time_window_event.json': { changes: insertModifyRemove(EXAMPLE_TABLE, ['111', '222'], ['-', '-']).slice(0, 2) },
  'aws-lambda-rust-runtime/example-dynamodb-event-record-with-optional-fields.json': {
    rejected: `this is one DynamoDB change, ${kinesisFormat}`,
    wrapped: `Records[0]: this DynamoDB change is ${kinesisFormat}`,
  },
  'aws-sam-cli/event-mapping.json': { coveredBy: 'the SAM template rendering (tag defaults, not an event)' },
  'aws-sam-cli/templates/DynamoDBUpdate.json': { changes: insertModifyRemove(EXAMPLE_TABLE, SAM_SEQUENCES, Array(3).fill(APRIL_2015)) },
  'localstack-recorded-snapshots/test_dynamodb_streams.snapshot.json': snapshots,
  'localstack-recorded-snapshots/test_lambda_integration_dynamodbstreams.snapshot.json': snapshots,
  'powertools-lambda-typescript/commons-samples-legacy/dynamodb-update-2.json': { changes: insertModifyRemove(EXAMPLE_TABLE, ['111', '222', '333'], ['-', '-', '-']) },
  'powertools-lambda-typescript/commons-samples-legacy/dynamodb-update.json': { changes: insertModifyRemove(EXAMPLE_TABLE, SAM_SEQUENCES, Array(3).fill(APRIL_2015)) },
  'powertools-lambda-typescript/examples/exampleDynamoDBStreamPayload.json': { changes: insertModifyRemove('-', ['111', '222'], ['2023-09-06T10:45:55.000Z', '-']).slice(0, 2) },
  'powertools-lambda-typescript/examples/sampleDynamoDBStreamsEvent.json': {
    changes: [
      'INSERT - 3275880929 - {"Id":101} new=Message old=- NEW_AND_OLD_IMAGES 26',
      'INSERT - 8640712661 - {"Id":101} new=SomethingElse old=- NEW_AND_OLD_IMAGES 26',
    ],
  },
  'powertools-lambda-typescript/examples/sampleDynamoDBStreamsResponse.json': {
    rejected: 'this is a partial batch response (batchItemFailures: 1 item): what a function returns to Lambda, not a DynamoDB stream event',
  },
  'powertools-lambda-typescript/parser-tests-events/dynamodb/base.json': {
    changes: [
      'INSERT - 111 2023-09-06T10:45:55.000Z {"Id":101} new=Message,Id old=- NEW_IMAGE 26',
      id101('MODIFY', '-', '222', '-', 'new=Message,Id old=Message,Id', 59),
    ],
  },
  'powertools-lambda-typescript/parser-tests-events/kinesis/dynamodb-stream.json': {
    rejected: `Records[0].eventSource: "aws:kinesis" records are not DynamoDB stream records (expected "aws:dynamodb"): ${throughKinesis}`,
  },
};

/** DynamoDB-stream files: by name, or by content for files named otherwise. */
const dynamoFiles = listCorpusFiles().filter((file) => /dynamo|ddb/i.test(file) || /"aws:dynamodb"|"dynamodb"\s*:/.test(readCorpusText(file)));


describe('DynamoDB stream corpus conformance', () => {
  it('has an expectation for every DynamoDB-stream file of the corpus, and a file for every expectation', () => {
    expect(dynamoFiles.length).toBeGreaterThan(30);
    expect(dynamoFiles.filter((file) => !(file in expectations))).toEqual([]);
    expect(Object.keys(expectations).filter((file) => !dynamoFiles.includes(file))).toEqual([]);
  });

  describe.each(dynamoFiles.filter((file) => expectations[file] && !('coveredBy' in expectations[file])))('%s', (file) => {
    const expectation = expectations[file] as Exclude<Expectation, { coveredBy: string }>;

    if ('notJson' in expectation) {
      it('is not JSON (truncated on purpose upstream), so it never becomes an event', () => {
        expect(() => loadCorpusEvent(file)).toThrow(SyntaxError);
      });
    } else if ('changes' in expectation) {
      it('normalizes to one change per record, in order', () => {
        expect(normalizeDynamoDBStreamEvent(loadCorpusEvent(file)).map(summarizeChange)).toEqual(expectation.changes);
      });
    } else {
      it('is refused with an EventError that says what it is', () => {
        expect(refusal(loadCorpusEvent(file))).toBe(`Invalid DynamoDB stream event: ${expectation.rejected}`);
      });
      if (expectation.wrapped !== undefined) {
        const wrapped = expectation.wrapped;
        it('as the one record of an event, gives what the record holds', () => {
          const event = { Records: [loadCorpusEvent(file)] };
          if (wrapped.startsWith('Records[0]')) expect(refusal(event)).toBe(`Invalid DynamoDB stream event: ${wrapped}`);
          else expect(normalizeDynamoDBStreamEvent(event).map(summarizeChange)).toEqual([wrapped]);
        });
      }
    }
  });

  it('refuses the DynamoDB changes inside the Kinesis sample as well: each is in the Kinesis format', () => {
    const { Records } = loadCorpusEvent('powertools-lambda-typescript/parser-tests-events/kinesis/dynamodb-stream.json') as { Records: { kinesis: { data: string } }[] };
    for (const record of Records) {
      const change = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as unknown;
      expect(refusal(change)).toMatch(/^Invalid DynamoDB stream event: this is one DynamoDB change, in the Kinesis Data Streams format \(recordFormat "application\/json", tableName "PowertoolsEventsStack-DynamoDBTable59784FC0-8NKAMTERTAXY", no SequenceNumber\)/);
    }
  });
});
