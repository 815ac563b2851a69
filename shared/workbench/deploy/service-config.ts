import { posix, sep } from 'node:path';
import type { Project } from '../project/load-project.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketOutput, isBucketTrigger } from '../../engine/pipeline/schema.ts';
import type { BucketEventConfig } from './bucket-events.ts';
import { assertNoOverlap, bucketEvents } from './bucket-events.ts';
import { DeployError } from './deploy-error.ts';
import { functionSettings } from './function-settings.ts';
import type { CfnValue, IamStatement } from './iam-statements.ts';
import { logStatement, pipelineStatements, s3Arn, tableLogicalId } from './iam-statements.ts';
import type { NamePrefixes } from './resource-names.ts';
import type { ResourceNames } from '../../engine/lambda/name-mapping.ts';
import { awsResourceNames, pickResourceNames } from './resource-names.ts';
import { RESOURCE_NAMES_ENV } from '../../engine/lambda/name-mapping.ts';
import { streamEvent } from './stream-events.ts';
import type { StreamEventConfig } from './stream-events.ts';

export interface ServiceOptions extends NamePrefixes {
  service: string;
  stage: string;
  /** Where each function's zip is written, relative to the service folder. */
  artifactDir: string;
  /** Extra environment variables per pipeline (a salt for sanitize's hashing, say). */
  environment?: Record<string, Record<string, string>>;
}

/** One function of serverless.yml, as the plugin adds it. */
export interface FunctionConfig {
  name: string;
  description: string;
  handler: string;
  architecture: string;
  memorySize: number;
  timeout: number;
  role: string;
  environment: Record<string, string>;
  package: { artifact: string };
  events: (BucketEventConfig | StreamEventConfig)[];
  maximumRetryAttempts?: number;
  maximumEventAge?: number;
}

export interface GeneratedService {
  functions: Record<string, FunctionConfig>;
  /** `provider.s3`: the buckets the stack creates that trigger functions (serverless.yml creates those with their notifications). */
  providerS3: Record<string, Record<string, unknown>>;
  resources: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** The S3 on-failure destination of each table-triggered function's event source mapping. */
  onFailure: Record<string, CfnValue>;
  names: ResourceNames;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** The logical ids serverless.yml gives a function's resources (`orders-ingest` → `OrdersDashingest`). */
export const normalizedFunctionName = (key: string) => capitalize(key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore'));
export const bucketLogicalId = (bucket: string) => `S3Bucket${capitalize(bucket.replace(/[^0-9A-Za-z]/g, ''))}`;
export const roleLogicalId = (key: string) => `${normalizedFunctionName(key)}IamRoleLambdaExecution`;

// Lambda's own defaults for asynchronous invocations (S3 notifications), written out.
const ASYNC_RETRIES = 2;
const ASYNC_MAX_EVENT_AGE = 21600;

// Written out though S3 has made it the default for new buckets: no bucket of a pipeline is public.
const PRIVATE_BUCKET = {
  PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
};

function role(statements: IamStatement[]) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }] },
      Policies: [{ PolicyName: 'sluice-pipeline', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
    },
  };
}

function usedResources(pipeline: Pipeline) {
  const buckets = [pipeline.onError.quarantine.bucket];
  const tables: string[] = [];
  if (isBucketTrigger(pipeline.on)) buckets.push(pipeline.on.bucket);
  else tables.push(pipeline.on.table);
  if (isBucketOutput(pipeline.to)) buckets.push(pipeline.to.bucket);
  else tables.push(pipeline.to.table);
  return { buckets, tables };
}

/**
 * Everything serverless.yml deploys, from the project: a function per pipeline with its trigger,
 * settings, environment and own role; every declared bucket and table. Nothing here is written
 * twice: a pipeline or resources.yml change shows in the next package.
 */
export function generateService(project: Project, options: ServiceOptions): GeneratedService {
  assertNoOverlap(project.pipelines);
  const names = awsResourceNames(project.resources, options);
  const functions: Record<string, FunctionConfig> = {};
  const resources: Record<string, unknown> = {};
  const onFailure: Record<string, CfnValue> = {};
  const triggered = new Set<string>();

  for (const pipeline of project.pipelines) {
    const key = pipeline.name;
    const name = `${options.service}-${options.stage}-${key}`;
    if (name.length > 64) throw new DeployError('DEPLOY_NAME_INVALID', `the function of pipeline ${key} would be named "${name}" (${name.length} characters), over Lambda's 64: shorten the service, stage or pipeline name`);
    const settings = functionSettings(pipeline);
    const events: (BucketEventConfig | StreamEventConfig)[] = [...bucketEvents(pipeline, project.resources, names)];
    if (isBucketTrigger(pipeline.on)) {
      if (!project.resources.buckets[pipeline.on.bucket]?.existing) triggered.add(pipeline.on.bucket);
    } else {
      events.push(streamEvent(pipeline.on, tableLogicalId(pipeline.on.table)));
      onFailure[key] = s3Arn(names.buckets[pipeline.onError.quarantine.bucket] ?? pipeline.onError.quarantine.bucket);
    }
    functions[key] = {
      name,
      description: (pipeline.description ?? `Sluice pipeline ${key}`).slice(0, 256),
      handler: 'index.handler',
      architecture: settings.architecture,
      memorySize: settings.memorySize,
      timeout: settings.timeout,
      role: roleLogicalId(key),
      environment: {
        SLUICE_PIPELINE_FILE: pipeline.file.split(sep).join(posix.sep),
        [RESOURCE_NAMES_ENV]: JSON.stringify(pickResourceNames(names, usedResources(pipeline))),
        ...options.environment?.[key],
      },
      package: { artifact: posix.join(options.artifactDir, `${key}.zip`) },
      events,
      ...(isBucketTrigger(pipeline.on) ? { maximumRetryAttempts: ASYNC_RETRIES, maximumEventAge: ASYNC_MAX_EVENT_AGE } : {}),
    };
    resources[roleLogicalId(key)] = role([logStatement(name), ...pipelineStatements(pipeline, names)]);
  }

  const providerS3: Record<string, Record<string, unknown>> = {};
  const outputs: Record<string, unknown> = {};
  for (const [bucket, declared] of Object.entries(project.resources.buckets)) {
    const awsName = names.buckets[bucket]!;
    outputs[`${bucketLogicalId(bucket)}Name`] = { Description: `Bucket ${bucket}${declared.existing ? ' (existing, not created by this stack)' : ''}`, Value: awsName };
    if (declared.existing) continue;
    // Buckets with triggers are created by serverless.yml's s3 events, from `provider.s3`; the others here.
    if (triggered.has(bucket)) providerS3[bucket] = { name: awsName, publicAccessBlockConfiguration: PRIVATE_BUCKET.PublicAccessBlockConfiguration };
    else resources[bucketLogicalId(bucket)] = { Type: 'AWS::S3::Bucket', Properties: { BucketName: awsName, ...PRIVATE_BUCKET } };
  }
  for (const [table, declared] of Object.entries(project.resources.tables)) {
    const keys = [declared.partitionKey, ...(declared.sortKey ? [declared.sortKey] : [])];
    resources[tableLogicalId(table)] = {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: names.tables[table],
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((attribute) => ({ AttributeName: attribute.name, AttributeType: attribute.type })),
        KeySchema: keys.map((attribute, index) => ({ AttributeName: attribute.name, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
        ...(declared.stream ? { StreamSpecification: { StreamViewType: declared.stream } } : {}),
      },
    };
    outputs[`${tableLogicalId(table)}Name`] = { Description: `Table ${table}`, Value: names.tables[table] };
  }
  return { functions, providerS3, resources, outputs, onFailure, names };
}
