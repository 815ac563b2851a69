import { issueAtPath, isWritten } from '../../engine/pipeline/positions.ts';
import type { PreflightIssue } from './preflight.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketTrigger } from '../../engine/pipeline/schema.ts';

/** Serverless Framework v3 (and osls, its continuation) compiles a `stream` event without `batchSize` to 10. */
export const SERVERLESS_V3_BATCH_SIZE = 10;

/**
 * Table-trigger settings left to a default that is not the same everywhere, or whose default
 * surprises: warnings, since Sluice itself deploys each setting as it runs it locally. Those the
 * tools agree on and that surprise nobody (`batchingWindow` 0, `bisectOnError` false) are left
 * alone, and `startingPosition` is required, as Lambda has no default for it.
 */
export function streamDefaultIssues(pipeline: Pipeline): PreflightIssue[] {
  const trigger = pipeline.on;
  if (isBucketTrigger(trigger)) return [];
  const issues: PreflightIssue[] = [];
  if (!isWritten(pipeline, ['on', 'batchSize'])) {
    issues.push({
      ...issueAtPath(
        pipeline,
        ['on', 'batchSize'],
        `not set, so batches of up to ${trigger.batchSize} records, Lambda's default, which Sluice deploys; Serverless Framework v3 and osls default to ${SERVERLESS_V3_BATCH_SIZE}: write batchSize: ${trigger.batchSize} to make it explicit`,
      ),
      severity: 'warning',
    });
  }
  if (!isWritten(pipeline, ['on', 'retries']) && !isWritten(pipeline, ['on', 'maxRecordAge'])) {
    issues.push({
      ...issueAtPath(
        pipeline,
        ['on', 'retries'],
        `not set, nor maxRecordAge: a batch that keeps failing is retried until its records leave the stream (24 hours), holding back every later change to ${trigger.table} meanwhile (Lambda's default, -1); write retries: -1 to keep that, or the number of retries after which a batch goes to the quarantine`,
      ),
      severity: 'warning',
    });
  }
  return issues;
}
