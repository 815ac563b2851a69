import type { DynamoDBStreamRecord } from './schema.ts';
import type { TableChange } from '../../shared/contract/table-change.ts';
import { locateProblem, parseEvent, throwEventProblems } from '../parse-event.ts';
import { unmarshallImage } from './attribute-values.ts';
import { creationTimeOf } from './creation-time.ts';
import { detectDynamoDBEventShape } from './detect-shape.ts';
import { dynamoDBStreamEventSchema } from './schema.ts';
import { parseStreamArn } from './stream-arn.ts';

export { NumberValue } from './attribute-values.ts';

const WHAT = 'DynamoDB stream event';

/**
 * The one entry point for DynamoDB stream events as Lambda delivers them (a batch, or a
 * tumbling-window invocation, whose `Records` are read): one TableChange per record, in order,
 * with keys and images unmarshalled here, once (see attribute-values.ts for what each type
 * becomes). Anything else throws one EventError listing every problem, each at its path
 * (`Records[2].dynamodb.SequenceNumber: ...`).
 */
export function normalizeDynamoDBStreamEvent(event: unknown): TableChange[] {
  const detection = detectDynamoDBEventShape(event);
  if ('problem' in detection) throwEventProblems(WHAT, [locateProblem(detection.path, detection.problem)]);
  const parsed = parseEvent(dynamoDBStreamEventSchema, event, WHAT);
  return parsed.Records.map((record) => toTableChange(record, parsed.eventSourceARN));
}

function toTableChange(record: DynamoDBStreamRecord, windowArn: string | undefined): TableChange {
  const data = record.dynamodb;
  const streamArn = record.eventSourceARN ?? windowArn;
  const table = streamArn === undefined ? undefined : parseStreamArn(streamArn)?.table;
  return {
    eventName: record.eventName,
    eventID: record.eventID,
    ...(table === undefined ? {} : { table }),
    ...(streamArn === undefined ? {} : { streamArn }),
    sequenceNumber: data.SequenceNumber,
    ...(data.ApproximateCreationDateTime === undefined ? {} : { approximateCreationTime: creationTimeOf(data.ApproximateCreationDateTime) }),
    keys: unmarshallImage(data.Keys),
    ...(data.NewImage ? { newImage: unmarshallImage(data.NewImage) } : {}),
    ...(data.OldImage ? { oldImage: unmarshallImage(data.OldImage) } : {}),
    ...(data.SizeBytes === undefined ? {} : { sizeBytes: data.SizeBytes }),
    ...(data.StreamViewType === undefined ? {} : { streamViewType: data.StreamViewType }),
  };
}
