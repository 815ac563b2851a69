import { SUMMARY_SUFFIX, quarantinePrefix } from '../../engine/pipeline/quarantine-keys.ts';
import type { KeyPattern } from '../project/key-pattern.ts';
import { pipelineWrites } from '../project/pipeline-writes.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketOutput, isBucketTrigger } from '../../engine/pipeline/schema.ts';
import type { ResourceNames } from '../../engine/lambda/name-mapping.ts';

/** A CloudFormation value: a string, or an intrinsic function. */
export type CfnValue = string | { [fn: string]: unknown };

export interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: CfnValue[];
}

/** Where Lambda writes the record of a stream batch it discarded, in an S3 on-failure destination. */
export const ON_FAILURE_KEY_PREFIX = 'aws/lambda/';

const partition = { Ref: 'AWS::Partition' };

export function s3Arn(bucket: string, key?: string): CfnValue {
  return { 'Fn::Join': ['', ['arn:', partition, ':s3:::', bucket, ...(key === undefined ? [] : ['/', key])]] };
}

/** As serverless.yml's stack names them; the template refers to each table by these. */
export function tableLogicalId(table: string): string {
  return `DynamoDbTable${table.replace(/[^0-9A-Za-z]/g, '').replace(/^./, (c) => c.toUpperCase())}`;
}

/**
 * The IAM resource key that covers every key of `patterns`: their common literal start, then `*`.
 * Output keys are cleaned up as `renderKey` does (runs of `/` collapsed, no leading `/`), so the
 * literal start is too.
 */
export function keyPrefixPattern(patterns: readonly KeyPattern[], normalize: boolean): string[] {
  const prefixes = patterns.map((pattern) => {
    let literal = '';
    for (const part of pattern) {
      if (typeof part !== 'string') break;
      literal += part;
    }
    const whole = literal.length === pattern.map((part) => (typeof part === 'string' ? part : '\0')).join('').length;
    const cleaned = normalize ? literal.replace(/\/{2,}/g, '/').replace(/^\//, '') : literal;
    return whole ? cleaned : `${cleaned}*`;
  });
  return [...new Set(prefixes)].sort();
}

/**
 * Least privilege for one pipeline's function, from what the pipeline reads and writes
 * (pipeline-writes.ts, the same model the trigger-cycle check uses): objects by bucket and key
 * pattern, items by table, the stream by its ARN. No data action has a `*` resource.
 */
export function pipelineStatements(pipeline: Pipeline, names: ResourceNames): IamStatement[] {
  const bucket = (declared: string) => names.buckets[declared] ?? declared;
  const statements: IamStatement[] = [];
  const writes = pipelineWrites(pipeline);
  const listed = new Set<string>();

  if (isBucketTrigger(pipeline.on)) {
    const { on } = pipeline;
    if (on.events.includes('created')) {
      const suffixes = on.suffix.length ? on.suffix : [''];
      // GetObject also allows HeadObject: the source's current eTag, before processing it again.
      statements.push({ Sid: 'ReadSource', Effect: 'Allow', Action: ['s3:GetObject'], Resource: suffixes.map((suffix) => s3Arn(bucket(on.bucket), `${on.prefix}*${suffix}`)) });
    }
    listed.add(on.bucket);
  } else {
    const stream = { 'Fn::GetAtt': [tableLogicalId(pipeline.on.table), 'StreamArn'] };
    statements.push({ Sid: 'ReadStream', Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'], Resource: [stream] });
  }

  const output = writes.find((write) => write.kind === 'output')!;
  const { to } = pipeline;
  if (isBucketOutput(to)) {
    const removes = isBucketTrigger(pipeline.on) && pipeline.on.events.includes('removed');
    // GetObject for HeadObject: whether an output is still there, and which source made it (removed events).
    const actions = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject', ...(removes ? ['s3:DeleteObject'] : [])];
    statements.push({ Sid: 'WriteOutputs', Effect: 'Allow', Action: actions, Resource: keyPrefixPattern(output.keys, output.normalize).map((key) => s3Arn(bucket(to.bucket), key)) });
    listed.add(to.bucket);
  } else {
    const table = { 'Fn::GetAtt': [tableLogicalId(to.table), 'Arn'] };
    statements.push({ Sid: 'WriteTable', Effect: 'Allow', Action: ['dynamodb:BatchWriteItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem'], Resource: [table] });
  }

  const quarantine = pipeline.onError.quarantine.bucket;
  const quarantineKeys = keyPrefixPattern(writes.filter((write) => write.kind === 'quarantine').flatMap((write) => write.keys), false);
  // GetObject: the per-source summary beside the quarantine, read before processing a source again.
  statements.push({ Sid: 'Quarantine', Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'], Resource: quarantineKeys.map((key) => s3Arn(bucket(quarantine), key)) });
  listed.add(quarantine);
  if (isBucketTrigger(pipeline.on) && pipeline.on.events.includes('removed')) {
    // A removed source's record (`<key>.summary.json`) is deleted with its outputs; nothing else in the quarantine is.
    const records = `${quarantinePrefix(pipeline.onError, pipeline.name, pipeline.on.bucket)}${pipeline.on.prefix}*${SUMMARY_SUFFIX}`;
    statements.push({ Sid: 'ForgetRemovedSources', Effect: 'Allow', Action: ['s3:DeleteObject'], Resource: [s3Arn(bucket(quarantine), records)] });
  }
  if (!isBucketTrigger(pipeline.on)) {
    // The event source mapping's S3 on-failure destination writes with the function's role.
    statements.push({ Sid: 'OnFailureDestination', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [s3Arn(bucket(quarantine), `${ON_FAILURE_KEY_PREFIX}*`)] });
  }
  // Without ListBucket, S3 answers 403 instead of 404 for a missing key, and the runtime could
  // not tell "not there yet" from "refused"; `removed` events also list the outputs.
  statements.push({ Sid: 'ListBuckets', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [...listed].sort().map((name) => s3Arn(bucket(name))) });
  return statements;
}

/** The function's own log group, which the stack creates. */
export function logStatement(functionName: string): IamStatement {
  return {
    Sid: 'Logs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: [{ 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${functionName}:*` }],
  };
}
