import type { Command } from 'commander';
import type { DynamoDBStreamRecordInput, RecordInputProblem } from '../../../../events/dynamodb/generate.ts';
import { buildDynamoDBStreamEvent, buildDynamoDBStreamRecord, prepareRecordInput } from '../../../../events/dynamodb/generate.ts';
import type { ChangeEventName, StreamViewType } from '../../../contract/table-change.ts';
import { buildS3Event, buildS3EventRecord } from '../../../../events/s3/generate.ts';
import { UsageError } from '../../../contract/errors.ts';
import { parsePositiveInt } from '../options.ts';

interface GenerateS3Options {
  bucket: string;
  key: string;
  size?: number;
  etag?: string;
  eventName: string;
  region: string;
}

interface GenerateDynamoDBOptions {
  table?: string;
  eventName?: string;
  keys?: string;
  newImage?: string;
  oldImage?: string;
  viewType: string;
  region: string;
  sequenceNumber?: string;
  time?: string;
  ttl?: boolean;
}

/** The flag each field of the generator's input comes from, to name it in messages. */
const DYNAMODB_FLAGS: Record<RecordInputProblem['field'], string> = {
  table: '--table',
  eventName: '--event-name',
  keys: '--keys',
  newImage: '--new-image',
  oldImage: '--old-image',
  viewType: '--view-type',
  sequenceNumber: '--sequence-number',
  region: '--region',
  approximateCreationTime: '--time',
  ttl: '--ttl',
  eventID: '--event-id',
  accountId: '--account-id',
  streamLabel: '--stream-label',
};

/** The JSON of an option; what it holds is the generator's to check, with the same words as for code. */
function parseJsonOption(flag: string, text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${flag}: expected the attributes as JSON, such as '{"id": "order-1"}', found ${JSON.stringify(text)} (${reason})`);
  }
}

/** The options as the generator's input; every problem, with the flag it concerns, on one line. */
function dynamoDBRecordInput(options: GenerateDynamoDBOptions): DynamoDBStreamRecordInput {
  const missing = (['table', 'eventName', 'keys'] as const).filter((field) => options[field] === undefined);
  if (missing.length) throw new UsageError(`missing ${missing.map((field) => DYNAMODB_FLAGS[field]).join(', ')}; see sluice events generate dynamodb --help`);
  const time = options.time;
  const input: DynamoDBStreamRecordInput = {
    table: options.table ?? '',
    // Lambda's names are upper case; a lower-case flag value is read as meant.
    eventName: (options.eventName ?? '').toUpperCase() as ChangeEventName,
    keys: parseJsonOption('--keys', options.keys ?? ''),
    viewType: options.viewType.toUpperCase() as StreamViewType,
    region: options.region,
    ...(options.newImage === undefined ? {} : { newImage: parseJsonOption('--new-image', options.newImage) }),
    ...(options.oldImage === undefined ? {} : { oldImage: parseJsonOption('--old-image', options.oldImage) }),
    ...(options.sequenceNumber === undefined ? {} : { sequenceNumber: options.sequenceNumber }),
    ...(time === undefined ? {} : { approximateCreationTime: /^\d+(\.\d+)?$/.test(time) ? Number(time) : time }),
    ...(options.ttl ? { ttl: true } : {}),
  };
  const { problems } = prepareRecordInput(input);
  if (problems.length) throw new UsageError(problems.map((problem) => `${DYNAMODB_FLAGS[problem.field]}: ${problem.message}`).join('; '));
  return input;
}

export function registerEvents(program: Command): void {
  const events = program.command('events').description('make sample events as Lambda delivers them');
  const generate = events.command('generate').description('print a sample event as JSON');
  generate
    .command('s3')
    .description('an S3 event notification for one object, key encoded as S3 encodes it')
    .requiredOption('--bucket <B>', 'bucket name')
    .requiredOption('--key <K>', 'object key, as stored (it is encoded in the event)')
    .option('--size <N>', 'object size in bytes', (value: string) => (value === '0' ? 0 : parsePositiveInt(value)))
    .option('--etag <E>', 'object eTag (default: a made-up MD5-like value)')
    .option('--event-name <NAME>', 'e.g. ObjectCreated:Put, ObjectCreated:CompleteMultipartUpload, ObjectRemoved:Delete', 'ObjectCreated:Put')
    .option('--region <R>', 'AWS region', 'us-east-1')
    .action((options: GenerateS3Options) => {
      // Which object fields appear (no size or eTag on deletes) is the generator's to decide, as AWS does.
      const record = buildS3EventRecord({
        bucket: options.bucket,
        key: options.key,
        eventName: options.eventName,
        region: options.region,
        size: options.size ?? 1024,
        ...(options.etag ? { eTag: options.etag } : {}),
      });
      console.log(JSON.stringify(buildS3Event([record]), null, 2));
    });
  generate
    .command('dynamodb')
    .description('a DynamoDB stream event with one record, images marshalled and filtered by the view type, as Lambda delivers it')
    .option('--table <T>', 'table name (required)')
    .option('--event-name <NAME>', 'INSERT, MODIFY or REMOVE (required)')
    .option('--keys <JSON>', 'the item\'s key attributes as plain JSON, e.g. \'{"id": "order-1"}\' (required)')
    .option('--new-image <JSON>', 'the item after the change (INSERT, MODIFY), plain JSON holding the keys (default: the keys alone)')
    .option('--old-image <JSON>', 'the item before the change (MODIFY, REMOVE), plain JSON holding the keys (default: the keys alone)')
    .option('--view-type <V>', 'the stream\'s view type: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES', 'NEW_AND_OLD_IMAGES')
    .option('--region <R>', 'AWS region', 'us-east-1')
    .option('--sequence-number <N>', 'the record\'s sequence number, decimal digits (default: an increasing 21-digit one)')
    .option('--time <T>', 'when the change was made: ISO date or epoch seconds (default: now)')
    .option('--ttl', 'a REMOVE made by Time to Live (userIdentity names DynamoDB)')
    .action((options: GenerateDynamoDBOptions) => {
      const record = buildDynamoDBStreamRecord(dynamoDBRecordInput(options));
      console.log(JSON.stringify(buildDynamoDBStreamEvent([record]), null, 2));
    });
}
