import type { S3ObjectEvent } from '../../../events/s3/normalize.ts';
import { normalizeS3Event } from '../../../events/s3/normalize.ts';
import { matchesTrigger } from '../pipeline/trigger.ts';
import type { CompiledPipeline } from './compile.ts';
import type { ObjectResult, RunDeps } from './process-object.ts';
import { processObjectEvent } from './process-object.ts';

/**
 * An S3 event as Lambda delivers it to a pipeline's function: the records normalized, those the
 * trigger does not match dropped (S3 filters notifications the same way), each of the others
 * processed.
 */
export async function handleS3Event(compiled: CompiledPipeline, event: unknown, deps: RunDeps): Promise<ObjectResult[]> {
  const records = normalizeS3Event(event);
  const matching = records.filter((record) => matchesTrigger(compiled.definition.on, record));
  for (const record of records) {
    if (!matching.includes(record)) deps.logger.debug({ bucket: record.bucket, key: record.key, eventName: record.eventName }, 'event does not match the trigger; ignored');
  }
  return processObjectEvents(compiled, matching, deps);
}

/** Records already normalized and matched to the pipeline's trigger (the local dispatcher does both once for every pipeline), one after the other. */
export async function processObjectEvents(compiled: CompiledPipeline, records: readonly S3ObjectEvent[], deps: RunDeps): Promise<ObjectResult[]> {
  const results: ObjectResult[] = [];
  for (const record of records) results.push(await processObjectEvent(compiled, record, deps));
  return results;
}
