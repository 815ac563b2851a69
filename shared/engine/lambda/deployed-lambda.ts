import type { Context } from 'aws-lambda';
import { createDynamoDBClient } from '../aws/dynamodb-client.ts';
import { createS3Client } from '../aws/s3-client.ts';
import { createPipelineLambda, usesTables } from './pipeline-handler.ts';
import type { Pipeline } from '../pipeline/schema.ts';
import { mapDynamoDBTableNames, mapS3BucketNames, toDeclaredNames } from './name-mapping.ts';
import type { ResourceNames } from './name-mapping.ts';

/**
 * A pipeline's function as deployed by serverless.yml: the same function as everywhere, with
 * clients that use the AWS names of the buckets and tables, and events turned back to the
 * declared names before the pipeline sees them.
 */
export function createDeployedPipelineLambda(pipeline: Pipeline, names: ResourceNames) {
  const s3 = createS3Client();
  mapS3BucketNames(s3, names);
  const dynamodb = usesTables(pipeline) ? createDynamoDBClient() : undefined;
  if (dynamodb) mapDynamoDBTableNames(dynamodb, names);
  const lambda = createPipelineLambda(pipeline, { s3, ...(dynamodb ? { dynamodb } : {}) });
  return (event: unknown, context: Context) => lambda(toDeclaredNames(event, names), context);
}
