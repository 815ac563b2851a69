import type { TableTrigger } from '../../engine/pipeline/schema.ts';

/** serverless.yml's `stream` event for a DynamoDB stream. */
export interface StreamEventConfig {
  stream: {
    type: 'dynamodb';
    arn: { 'Fn::GetAtt': [string, 'StreamArn'] };
    enabled: true;
    startingPosition: string;
    batchSize: number;
    batchWindow: number;
    parallelizationFactor: number;
    maximumRetryAttempts: number;
    maximumRecordAgeInSeconds: number;
    bisectBatchOnFunctionError: boolean;
    functionResponseType: 'ReportBatchItemFailures';
    filterPatterns?: unknown[];
  };
}

/**
 * The event source mapping of a table trigger, every setting written out: the pipeline's values,
 * which default to Lambda's own (serverless.yml's defaults differ: a batch of 10). One batch per
 * shard at a time (parallelization 1), which the aggregate's exactly-once bookkeeping relies on.
 * The on-failure destination (the quarantine bucket) is set on the compiled mapping: serverless.yml
 * only knows SQS and SNS destinations.
 */
export function streamEvent(on: TableTrigger, tableLogicalId: string): StreamEventConfig {
  return {
    stream: {
      type: 'dynamodb',
      arn: { 'Fn::GetAtt': [tableLogicalId, 'StreamArn'] },
      enabled: true,
      startingPosition: on.startingPosition,
      batchSize: on.batchSize,
      batchWindow: on.batchingWindow,
      parallelizationFactor: 1,
      maximumRetryAttempts: on.retries,
      maximumRecordAgeInSeconds: on.maxRecordAge,
      bisectBatchOnFunctionError: on.bisectOnError,
      functionResponseType: 'ReportBatchItemFailures',
      ...(on.filters.length ? { filterPatterns: on.filters } : {}),
    },
  };
}
