import { deliveries } from './deliveries.ts';

/**
 * Pulls the S3 events out of LocalStack snapshot files (recorded against real AWS, values redacted
 * with placeholders such as `<object-key:1>`) and rebuilds the Lambda event each one arrived in:
 * the tests recorded what a queue, a topic or a function received, after unwrapping it.
 */

export interface RecordedDelivery {
  /** Where it sits in the snapshot, e.g. `test_key_encoding > receive_messages > messages[0]`. */
  at: string;
  via: 'sqs' | 'sns' | 'sns-through-sqs' | 'lambda' | 'eventbridge';
  event: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** DynamoDB's attribute-value JSON back to plain JSON (the Lambda test stored events in a table). */
function unmarshall(value: Json): Json {
  if (!isObject(value)) return value;
  const [type, inner] = Object.entries(value)[0] ?? [];
  if (type === 'S' || type === 'BOOL') return inner as Json;
  if (type === 'N') return Number(inner);
  if (type === 'NULL') return null;
  if (type === 'L' && Array.isArray(inner)) return inner.map(unmarshall);
  if (type === 'M' && isObject(inner as Json)) {
    return Object.fromEntries(Object.entries(inner as Record<string, Json>).map(([k, v]) => [k, unmarshall(v)]));
  }
  return value;
}

function isMarshalledMap(value: Json): boolean {
  return isObject(value) && Object.keys(value).length === 1 && isObject(value.M ?? null);
}

function collect(node: Json, at: string, out: RecordedDelivery[], fromTable: boolean): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => collect(item, `${at}[${index}]`, out, fromTable));
    return;
  }
  if (!isObject(node)) return;
  if (node.eventSource === 'aws:s3') {
    const event = { Records: [node] };
    out.push(fromTable ? { at, via: 'lambda', event } : { at, via: 'sqs', event: deliveries.sqs(event) });
  } else if (node.source === 'aws.s3' && 'detail-type' in node) {
    out.push({ at, via: 'eventbridge', event: node });
  } else if (node.Type === 'Notification' && isObject(node.Message ?? null)) {
    // Received from a queue subscribed to the topic; also delivered straight to Lambda below.
    const notification = { ...node, Message: JSON.stringify(node.Message) };
    out.push({ at, via: 'sns-through-sqs', event: deliveries.sqs(notification) });
    out.push({ at, via: 'sns', event: deliveries.sns(node.Message) });
  } else if (isObject(node.Body ?? null)) {
    out.push({ at, via: 'sqs', event: deliveries.sqs(node.Body) });
  } else if (isMarshalledMap(node)) {
    collect(unmarshall(node), at, out, true);
  } else {
    for (const [key, value] of Object.entries(node)) collect(value, at ? `${at} > ${key}` : key, out, fromTable);
  }
}

/** Every S3 event of one snapshot file, as Lambda received it. */
export function extractRecordedDeliveries(snapshot: Record<string, { 'recorded-content': Json }>): RecordedDelivery[] {
  const out: RecordedDelivery[] = [];
  for (const [testId, recording] of Object.entries(snapshot)) {
    collect(recording['recorded-content'], testId.split('::').at(-1) ?? testId, out, false);
  }
  return out;
}
