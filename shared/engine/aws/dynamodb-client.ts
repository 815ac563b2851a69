import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoDBClientOptions {
  /** A DynamoDB-compatible endpoint (the embedded server); omit on Lambda to use the SDK's standard settings. */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The one way Sluice builds a DynamoDB client, locally and on Lambda. Without options every
 * setting comes from the SDK's standard sources (environment, shared config, the Lambda role),
 * including `AWS_ENDPOINT_URL_DYNAMODB`.
 */
export function createDynamoDBClient(options: DynamoDBClientOptions = {}): DynamoDBClient {
  if (!options.endpoint) return new DynamoDBClient(options.region ? { region: options.region } : {});
  return new DynamoDBClient({ endpoint: options.endpoint, region: options.region ?? 'us-east-1', ...(options.credentials ? { credentials: options.credentials } : {}) });
}
