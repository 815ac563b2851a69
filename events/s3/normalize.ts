import type { z } from 'zod';
import type { EventPath } from '../parse-event.ts';
import type { S3ObjectEvent } from './object-event.ts';
import type { S3EventRecord } from './schema.ts';
import { describeEventIssues, locateProblem, throwEventProblems } from '../parse-event.ts';
import { detectS3EventShape } from './detect-shape.ts';
import { eventBridgeToObjectEvent } from './eventbridge-event.ts';
import { decodeS3EventKey } from './key-encoding.ts';
import { toObjectEvent } from './object-event.ts';
import {
  s3EventBridgeEventSchema,
  s3EventSchema,
  s3TestEventSchema,
  snsEnvelopeSchema,
  snsNotificationSchema,
  sqsEnvelopeSchema,
} from './schema.ts';

export type { S3EventKind, S3ObjectEvent } from './object-event.ts';
export { compareSequencers } from './sequencer.ts';

/**
 * The one entry point for S3 events: whatever delivered it (Lambda notification, SQS, SNS, SNS
 * through SQS, EventBridge), the result is a flat list of object events with decoded keys. A test
 * event gives an empty list. Anything else throws one EventError that lists every problem found,
 * each with its location, in every record and every wrapped message.
 */
export function normalizeS3Event(input: unknown): S3ObjectEvent[] {
  const problems: string[] = [];
  const events = normalizeAt(input, [], 0, problems);
  if (problems.length > 0) throwEventProblems('S3 event', problems);
  return events;
}

// SNS through SQS is two levels; a third would be a payload wrapped by mistake, or a loop.
const MAX_NESTING = 2;

function normalizeAt(input: unknown, where: EventPath, depth: number, problems: string[]): S3ObjectEvent[] {
  const detection = detectS3EventShape(input);
  if ('problem' in detection) {
    problems.push(locateProblem([...where, ...detection.path], detection.problem));
    return [];
  }
  switch (detection.shape) {
    case 'notification': {
      const event = parseAt(s3EventSchema, input, where, problems);
      return event ? fromRecords(event.Records, where, problems) : [];
    }
    case 'test-event':
      parseAt(s3TestEventSchema, input, where, problems);
      return [];
    case 'eventbridge': {
      const event = parseAt(s3EventBridgeEventSchema, input, where, problems);
      return event ? [eventBridgeToObjectEvent(event)] : [];
    }
    case 'sqs': {
      const envelope = parseAt(sqsEnvelopeSchema, input, where, problems);
      const messages = envelope?.Records.map((record, index) => ({
        text: record.body,
        at: [...where, 'Records', index, 'body'],
      }));
      return unwrap(messages ?? [], depth, problems);
    }
    case 'sns': {
      const envelope = parseAt(snsEnvelopeSchema, input, where, problems);
      const messages = envelope?.Records.map((record, index) => ({
        text: record.Sns.Message,
        at: [...where, 'Records', index, 'Sns', 'Message'],
      }));
      return unwrap(messages ?? [], depth, problems);
    }
    case 'sns-notification': {
      const notification = parseAt(snsNotificationSchema, input, where, problems);
      return unwrap(notification ? [{ text: notification.Message, at: [...where, 'Message'] }] : [], depth, problems);
    }
  }
}

function parseAt<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: EventPath,
  problems: string[],
): z.output<S> | undefined {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  problems.push(...describeEventIssues(result.error.issues, input, where));
  return undefined;
}

/** Parses each wrapped message (JSON text) and normalizes it where it sits. */
function unwrap(messages: { text: string; at: EventPath }[], depth: number, problems: string[]): S3ObjectEvent[] {
  return messages.flatMap(({ text, at }) => {
    if (depth >= MAX_NESTING) {
      const problem = `S3 event wrapped more than ${MAX_NESTING} levels deep (expected S3 -> SNS -> SQS at most)`;
      problems.push(locateProblem(at, problem));
      return [];
    }
    let inner: unknown;
    try {
      inner = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(locateProblem(at, `expected the S3 event as JSON text, but it is not valid JSON (${reason})`));
      return [];
    }
    return normalizeAt(inner, at, depth + 1, problems);
  });
}

function fromRecords(records: S3EventRecord[], where: EventPath, problems: string[]): S3ObjectEvent[] {
  const events: S3ObjectEvent[] = [];
  records.forEach((record, index) => {
    const { bucket, object } = record.s3;
    let key: string;
    try {
      key = decodeS3EventKey(object.key);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(locateProblem([...where, 'Records', index, 's3', 'object', 'key'], reason));
      return;
    }
    events.push(
      toObjectEvent({
        // The name, not the ARN: samples disagree between the two, and the name is what GetObject takes.
        bucket: bucket.name,
        key,
        rawKey: object.key,
        size: object.size,
        eTag: object.eTag,
        versionId: object.versionId,
        sequencer: object.sequencer,
        eventName: record.eventName,
        eventTime: record.eventTime,
        region: record.awsRegion,
        source: 'notification',
      }),
    );
  });
  return events;
}
