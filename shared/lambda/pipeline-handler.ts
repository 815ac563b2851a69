import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../aws/s3-client.ts';
import type { HandlerRegistry } from '../handlers/registry.ts';
import { builtInHandlers } from '../handlers/registry.ts';
import type { Logger } from '../log/logger.ts';
import { createLogger } from '../log/logger.ts';
import type { Pipeline } from '../pipeline/schema.ts';
import { compilePipeline } from '../runtime/compile.ts';
import { handleS3Event } from '../runtime/handle-s3-event.ts';
import type { ObjectResult } from '../runtime/process-object.ts';

export interface LambdaSummary {
  pipeline: string;
  processed: number;
  quarantined: number;
  skipped: number;
  outputs: number;
  results: ObjectResult[];
}

export interface PipelineLambdaOptions {
  registry?: HandlerRegistry;
  /** Defaults to a client configured only by the SDK's standard settings (the function's role, `AWS_ENDPOINT_URL_S3`, ...). */
  s3?: S3Client;
  logger?: Logger;
}

/**
 * The Lambda function for a bucket-triggered pipeline: the same steps as the local runtime, with
 * the real S3 client. The client and the steps are created once per container (cold start).
 * Failures are quarantined and reported in the result; the invocation itself fails only when the
 * quarantine cannot be written, so Lambda's retry policy takes over.
 */
export function createPipelineLambda(pipeline: Pipeline, options: PipelineLambdaOptions = {}) {
  const compiled = compilePipeline(pipeline, options.registry ?? builtInHandlers);
  const s3 = options.s3 ?? createS3Client();
  const baseLogger = options.logger ?? createLogger({ name: `sluice:${pipeline.name}` });

  const run = async (event: unknown, context: Context): Promise<LambdaSummary> => {
    const logger = baseLogger.child({ requestId: context.awsRequestId });
    const results = await handleS3Event(compiled, event, { s3, logger });
    const count = (status: ObjectResult['status']) => results.filter((result) => result.status === status).length;
    return {
      pipeline: pipeline.name,
      processed: count('processed'),
      quarantined: count('quarantined'),
      skipped: count('skipped'),
      outputs: results.reduce((sum, result) => sum + result.outputs.length, 0),
      results,
    };
  };
  return middy(run);
}
