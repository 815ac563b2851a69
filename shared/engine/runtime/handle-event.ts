import { isBucketTrigger } from '../pipeline/schema.ts';
import { countOutputs } from './bucket-output.ts';
import type { CompiledPipeline } from './compile.ts';
import { handleS3Event } from './handle-s3-event.ts';
import type { BatchResponse, StreamBatchResult } from './handle-stream-event.ts';
import { handleStreamEvent } from './handle-stream-event.ts';
import type { ObjectResult, RunDeps } from './process-object.ts';

/** What one invocation did: each object of a bucket event, or the batch of a stream event. */
export type InvocationResult = { trigger: 'bucket'; objects: ObjectResult[] } | { trigger: 'table'; batch: StreamBatchResult };

/**
 * The one place an event takes the bucket path or the stream path, by the pipeline's trigger: the
 * deployed function, `sluice invoke` and the local runtime all come through here.
 */
export async function handlePipelineEvent(compiled: CompiledPipeline, event: unknown, deps: RunDeps): Promise<InvocationResult> {
  if (isBucketTrigger(compiled.definition.on)) return { trigger: 'bucket', objects: await handleS3Event(compiled, event, deps) };
  return { trigger: 'table', batch: await handleStreamEvent(compiled, event, deps) };
}

/** What a bucket pipeline's function returns: counts, and each object's result. */
export interface BucketSummary {
  pipeline: string;
  processed: number;
  quarantined: number;
  skipped: number;
  deleted: number;
  outputs: number;
  results: ObjectResult[];
}

export function summarizeObjects(pipeline: string, results: ObjectResult[]): BucketSummary {
  const count = (status: ObjectResult['status']) => results.filter((result) => result.status === status).length;
  return {
    pipeline,
    processed: count('processed'),
    quarantined: count('quarantined'),
    skipped: count('skipped'),
    deleted: count('deleted'),
    outputs: results.reduce((sum, result) => sum + countOutputs(result.outputs), 0),
    results,
  };
}

/**
 * What the function returns to Lambda: a bucket pipeline's summary, or a stream pipeline's partial
 * batch response (`batchItemFailures`, for the event source mapping's ReportBatchItemFailures).
 */
export function functionResponse(pipeline: string, result: InvocationResult): BucketSummary | BatchResponse {
  return result.trigger === 'bucket' ? summarizeObjects(pipeline, result.objects) : { batchItemFailures: result.batch.batchItemFailures };
}
