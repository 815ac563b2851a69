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
import type { BucketSummary } from '../runtime/handle-event.ts';
import { functionResponse, handlePipelineEvent } from '../runtime/handle-event.ts';
import type { BatchResponse } from '../runtime/handle-stream-event.ts';

export interface PipelineLambdaOptions {
  /** Defaults to a client configured only by the SDK's standard settings (the function's role, `AWS_ENDPOINT_URL_S3`, ...). */
  s3?: S3Client;
  /** The same, for pipelines that read a stream or write a table (`AWS_ENDPOINT_URL_DYNAMODB`, ...). */
  dynamodb?: DynamoDBClient;
  logger?: Logger;
}

/** Whether a pipeline's function talks to DynamoDB: it reads a stream or writes a table. */
export const usesTables = (pipeline: Pick<Pipeline, 'on' | 'to'>) => !isBucketTrigger(pipeline.on) || !isBucketOutput(pipeline.to);

/**
 * The Lambda function of a pipeline: the same core as the local runtime, with the real clients,
 * created once per container (cold start). A bucket pipeline's failures are quarantined and
 * reported in its summary; its invocation fails only when the quarantine cannot be written, so
 * Lambda's retry policy takes over. A stream pipeline returns a partial batch response; a
 * transient failure of the whole batch is a function error, which the event source mapping
 * retries (and bisects, if configured).
 */
export function createPipelineLambda(pipeline: Pipeline, options: PipelineLambdaOptions = {}) {
  const compiled = compilePipeline(pipeline);
  const s3 = options.s3 ?? createS3Client();
  const dynamodb = options.dynamodb ?? (usesTables(pipeline) ? createDynamoDBClient() : undefined);
  const logger = options.logger ?? createLogger({ name: `sluice:${pipeline.name}` });
  return middy(async (event: unknown, context: Context): Promise<BucketSummary | BatchResponse> => {
    const deps = { s3, ...(dynamodb ? { dynamodb } : {}), logger: logger.child({ requestId: context.awsRequestId }) };
    return functionResponse(pipeline.name, await handlePipelineEvent(compiled, event, deps));
  });
}
