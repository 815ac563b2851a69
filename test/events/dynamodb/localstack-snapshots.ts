/**
 * Pulls what reached a function, a queue or a topic out of LocalStack's DynamoDB snapshot files
 * (recorded against real AWS, values redacted with placeholders such as `<sequence-number:1>`):
 * stream events as Lambda delivered them, on-failure destination records, and changes a table
 * streamed to Kinesis. Placeholders in values a record must have in its format (sequence numbers,
 * the creation time, the ARN's parts) are put back as plausible values, the same for the same
 * placeholder; the rest (eventIDs) stay as recorded.
 */

export type RecordedKind = 'stream-event' | 'on-failure' | 'kinesis-format';

export interface RecordedPayload {
  /** Where it sits in the snapshot, e.g. `test_dynamodb_event_filter[prefix_filter] > lambda-log-events[0]`. */
  at: string;
  kind: RecordedKind;
  payload: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: Json | undefined): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A creation time that is plausible for the recordings (2023-11-14T22:13:20Z). */
export const RESTORED_CREATION_TIME = 1700000000;

export function restorePlaceholders(value: Json): Json {
  const text = JSON.stringify(value)
    .replace(/"<approximate-creation-datetime>"/g, String(RESTORED_CREATION_TIME))
    .replace(/"<(?:start-)?sequence-number:(\d+)>"/g, (_match, n: string) => `"${(10n ** 20n + BigInt(n)).toString()}"`)
    .replace(/<resource:(\d+)>/g, 'resource-$1')
    .replace(/<partition>/g, 'aws')
    .replace(/<region>/g, 'us-east-1');
  return JSON.parse(text) as Json;
}

function kindOf(node: { [key: string]: Json }): RecordedKind | undefined {
  const records = node.Records;
  if (Array.isArray(records) && records.some((record) => isObject(record) && record.eventSource === 'aws:dynamodb')) return 'stream-event';
  if ('DDBStreamBatchInfo' in node) return 'on-failure';
  if ('recordFormat' in node && isObject(node.dynamodb)) return 'kinesis-format';
  return undefined;
}

function collect(node: Json, at: string, out: RecordedPayload[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => collect(item, `${at}[${index}]`, out));
    return;
  }
  if (!isObject(node)) return;
  const kind = kindOf(node);
  if (kind) out.push({ at, kind, payload: restorePlaceholders(node) });
  // An on-failure record written to S3 carries the failed event: it was delivered too.
  const children = kind === undefined ? Object.entries(node) : kind === 'on-failure' && isObject(node.payload) ? [['payload', node.payload] as const] : [];
  for (const [key, value] of children) collect(value, `${at} > ${key}`, out);
}

/** Every recorded payload of one snapshot file, in file order. */
export function extractRecordedPayloads(snapshot: Record<string, { 'recorded-content': Json }>): RecordedPayload[] {
  const out: RecordedPayload[] = [];
  for (const [testId, recording] of Object.entries(snapshot)) {
    collect(recording['recorded-content'], testId.split('::').at(-1) ?? testId, out);
  }
  return out;
}
