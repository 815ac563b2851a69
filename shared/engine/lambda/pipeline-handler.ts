import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { createDynamoDBClient } from '../aws/dynamodb-client.ts';
import { createS3Client } from '../aws/s3-client.ts';
import type { Logger } from '../../contract/logger.ts';
import { createLogger } from '../../contract/logger.ts';
import type { Pipeline } from '../pipeline/schema.ts';
import { isBucketOutput, isBucketTrigger } from '../pipeline/schema.ts';
import { compilePipeline } from '../runtime/compile.ts';
import { handleS3Event } from '../runtime/handle-s3-event.ts';
import type { BatchResponse } from '../runtime/handle-stream-event.ts';
import { handleStreamEvent } from '../runtime/handle-stream-event.ts';
import type { ObjectResult, RunDeps } from '../runtime/process-object.ts';

export interface LambdaSummary {
  pipeline: string;
  processed: number;
  quarantined: number;
  skipped: number;
  deleted: number;
  outputs: number;
  results: ObjectResult[];
}

export interface PipelineLambdaOptions {
  /** Defaults to a client configured only by the SDK's standard settings (the function's role, `AWS_ENDPOINT_URL_S3`, ...). */
  s3?: S3Client;
  /** The same, for pipelines that read a stream or write a table (`AWS_ENDPOINT_URL_DYNAMODB`, ...). */
  dynamodb?: DynamoDBClient;
  logger?: Logger;
}

function clientsFor(pipeline: Pipeline, options: PipelineLambdaOptions) {
  const needsTable = !isBucketTrigger(pipeline.on) || !isBucketOutput(pipeline.to);
  const dynamodb = options.dynamodb ?? (needsTable ? createDynamoDBClient() : undefined);
  const s3 = options.s3 ?? createS3Client();
  const logger = options.logger ?? createLogger({ name: `sluice:${pipeline.name}` });
  return (context: Context): RunDeps => ({ s3, ...(dynamodb ? { dynamodb } : {}), logger: logger.child({ requestId: context.awsRequestId }) });
}

/**
 * The Lambda function of a bucket-triggered pipeline: the same core as the local runtime, with
 * the real clients, created once per container (cold start). Failures are quarantined and
 * reported in the result; the invocation itself fails only when the quarantine cannot be
 * written, so Lambda's retry policy takes over.
 */
export function createBucketPipelineLambda(pipeline: Pipeline, options: PipelineLambdaOptions = {}) {
  const compiled = compilePipeline(pipeline);
  const depsFor = clientsFor(pipeline, options);
  return middy(async (event: unknown, context: Context): Promise<LambdaSummary> => summarizeResults(pipeline.name, await handleS3Event(compiled, event, depsFor(context))));
}

/** What a bucket-triggered pipeline's function returns: counts, and each object's result. */
export function summarizeResults(pipeline: string, results: ObjectResult[]): LambdaSummary {
  const count = (status: ObjectResult['status']) => results.filter((result) => result.status === status).length;
  return {
    pipeline,
    processed: count('processed'),
    quarantined: count('quarantined'),
    skipped: count('skipped'),
    deleted: count('deleted'),
    outputs: results.reduce((sum, result) => sum + result.outputs.length, 0),
    results,
  };
}

/**
 * The Lambda function of a table-triggered pipeline: returns a partial batch response
 * (`batchItemFailures`, for the event source mapping's ReportBatchItemFailures); a transient
 * failure of the whole batch is a function error, which the mapping retries (and bisects, if
 * configured).
 */
export function createStreamPipelineLambda(pipeline: Pipeline, options: PipelineLambdaOptions = {}) {
  const compiled = compilePipeline(pipeline);
  const depsFor = clientsFor(pipeline, options);
  return middy(async (event: unknown, context: Context): Promise<BatchResponse> => {
    const result = await handleStreamEvent(compiled, event, depsFor(context));
    return { batchItemFailures: result.batchItemFailures };
  });
}

/** The function for any pipeline, by its trigger. */
export function createPipelineLambda(pipeline: Pipeline, options: PipelineLambdaOptions = {}) {
  return isBucketTrigger(pipeline.on) ? createBucketPipelineLambda(pipeline, options) : createStreamPipelineLambda(pipeline, options);
}
