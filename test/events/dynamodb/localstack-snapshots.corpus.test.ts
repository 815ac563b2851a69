import { describe, expect, it } from 'vitest';
import { streamRecordSize } from '../../../events/dynamodb/item-size.ts';
import { normalizeDynamoDBStreamEvent } from '../../../events/dynamodb/normalize.ts';
import type { DynamoDBStreamEvent } from '../../../events/dynamodb/schema.ts';
import { readCorpusJson } from '../s3/corpus.ts';
import { extractRecordedPayloads } from './localstack-snapshots.ts';
import { refusal, summarizeChange } from './summarize.ts';

/**
 * LocalStack's DynamoDB snapshots, recorded against real AWS: every stream event a function
 * received normalizes, its SizeBytes is what DynamoDB's item-size rules give for its keys and
 * images, and what is not an event (on-failure destination records, changes streamed to Kinesis)
 * is refused for what it is. Changes are listed once each, without their (restored) sequence
 * numbers and times: `eventName table keys new=<attributes> old=<attributes> viewType sizeBytes`.
 */

const snapshot = (file: string) => extractRecordedPayloads(readCorpusJson(`localstack-recorded-snapshots/${file}`) as never);
const lambdaIntegration = snapshot('test_lambda_integration_dynamodbstreams.snapshot.json');
const streams = snapshot('test_dynamodb_streams.snapshot.json');
const ofKind = (payloads: typeof streams, kind: string) => payloads.filter((payload) => payload.kind === kind);

const insert = (keys: string, newImage: string, view: string, size: number) => `INSERT resource-1 ${keys} new=${newImage} old=- ${view} ${size}`;
const testIds = [0, 1, 2, 3, 4, 5].map((n) => insert(`{"my_partition_key":"testId${n}"}`, 'my_partition_key,should_fail', 'NEW_IMAGE', 58));

describe('LocalStack DynamoDB snapshots (recorded against AWS)', () => {
  it('holds 53 stream events, 11 on-failure records and one change streamed to Kinesis', () => {
    expect(ofKind(lambdaIntegration, 'stream-event')).toHaveLength(53);
    expect(ofKind(lambdaIntegration, 'on-failure')).toHaveLength(11);
    expect(streams.map((payload) => payload.kind)).toEqual(['kinesis-format']);
  });

  it('normalizes every stream event a function received', () => {
    const lines = ofKind(lambdaIntegration, 'stream-event').flatMap(({ payload }) =>
      normalizeDynamoDBStreamEvent(payload).map((change) => summarizeChange(change).replace(/ \d{21} \S+ /, ' ')));
    expect([...new Set(lines)].sort()).toEqual([
      insert('{"id":"id_value"}', 'id', 'NEW_AND_OLD_IMAGES', 20),
      insert('{"id":"id_value"}', 'id2,id', 'NEW_AND_OLD_IMAGES', 32),
      insert('{"id":"id_value_1"}', 'id', 'NEW_AND_OLD_IMAGES', 24),
      insert('{"id":"id_value_1"}', 'id,presentKey', 'NEW_AND_OLD_IMAGES', 46),
      insert('{"id":"id_value_1"}', 'numericFilter,id', 'NEW_AND_OLD_IMAGES', 39),
      insert('{"id":"id_value_1"}', 'prefix,id', 'NEW_AND_OLD_IMAGES', 47),
      insert('{"id":"id_value_2"}', 'id', 'NEW_AND_OLD_IMAGES', 24),
      insert('{"id":"id_value_2"}', 'id,presentKey', 'NEW_AND_OLD_IMAGES', 46),
      insert('{"my_partition_key":"hello world"}', 'binary_key,my_partition_key', 'NEW_IMAGE', 70),
      insert('{"my_partition_key":"hello world"}', 'my_partition_key', 'NEW_IMAGE', 54),
      ...testIds,
      'MODIFY resource-1 {"id":"id_value"} new=id2,id old=id NEW_AND_OLD_IMAGES 46',
    ]);
  });

  it('computes the SizeBytes AWS recorded for every record, from its keys and images', () => {
    const records = ofKind(lambdaIntegration, 'stream-event').flatMap(({ payload }) => (payload as DynamoDBStreamEvent).Records);
    expect(records.length).toBeGreaterThan(50);
    for (const record of records) expect(streamRecordSize(record.dynamodb)).toBe(record.dynamodb.SizeBytes);
  });

  it('refuses each on-failure destination record (queue, topic or S3) as not an event', () => {
    for (const { payload } of ofKind(lambdaIntegration, 'on-failure')) {
      expect(refusal(payload)).toMatch(/^Invalid DynamoDB stream event: this is an on-failure destination record \(DDBStreamBatchInfo: sequence numbers "\d+" to "\d+", 1 record\): it names a failed batch, Lambda does not deliver it to a function/);
    }
  });

  it('refuses a change a table streamed to Kinesis Data Streams, named by its format', () => {
    const [kinesis] = streams;
    expect(refusal({ Records: [kinesis?.payload] })).toBe(
      'Invalid DynamoDB stream event: Records[0]: this DynamoDB change is in the Kinesis Data Streams format (recordFormat "application/json", tableName "<table-name:1>", no SequenceNumber): a table streaming to Kinesis Data Streams delivers its changes inside Kinesis records, which Sluice does not read',
    );
  });
});
