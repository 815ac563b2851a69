import { normalizeS3Event } from '../../../events/s3/normalize.ts';
import { matchesTrigger } from '../pipeline/trigger.ts';
import type { CompiledPipeline } from './compile.ts';
import type { ObjectResult, RunDeps } from './process-object.ts';
import { processObjectEvent } from './process-object.ts';

/**
 * The one entry for an S3 event as Lambda delivers it, used by the Lambda function and by the
 * local dispatcher alike: normalize the records, keep those the trigger matches, process each.
 */
export async function handleS3Event(compiled: CompiledPipeline, event: unknown, deps: RunDeps): Promise<ObjectResult[]> {
  const results: ObjectResult[] = [];
  for (const record of normalizeS3Event(event)) {
    if (!matchesTrigger(compiled.definition.on, record)) {
      deps.logger.debug({ bucket: record.bucket, key: record.key, eventName: record.eventName }, 'event does not match the trigger; ignored');
      continue;
    }
    results.push(await processObjectEvent(compiled, record, deps));
  }
  return results;
}
