/**
 * `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL`, the `eventSourceARN` of a stream
 * record. The label is the stream's creation time (`2015-06-27T00:48:05.899`), so it has colons.
 */

export interface StreamArnParts {
  partition: string;
  region: string;
  account: string;
  table: string;
  label: string;
}

/** DynamoDB's rule for table names. */
export const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

// The account is free text: real captures in the corpus replace it with an emoji.
const STREAM_ARN = /^arn:([^:]+):dynamodb:([^:]*):([^:]*):table\/([A-Za-z0-9_.-]{3,255})\/stream\/(.+)$/u;

/** The parts of a stream ARN, or undefined for anything else (samples write "stream-ARN"). */
export function parseStreamArn(arn: string): StreamArnParts | undefined {
  const match = STREAM_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition = '', region = '', account = '', table = '', label = ''] = match;
  return { partition, region, account, table, label };
}

export function formatStreamArn({ partition, region, account, table, label }: StreamArnParts): string {
  return `arn:${partition}:dynamodb:${region}:${account}:table/${table}/stream/${label}`;
}
