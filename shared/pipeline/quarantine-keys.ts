import type { OnError } from './schema.ts';

/** Beside each quarantined copy, the reason it was quarantined: `<copy key>.error.json`. */
export const QUARANTINE_REASON_SUFFIX = '.error.json';

/**
 * The key prefix under which a pipeline quarantines the objects of one source bucket:
 * `<prefix><pipeline>/<source bucket>/`. The runtime writes there, the trigger-cycle check reads
 * the same layout, and pipeline tests look there.
 */
export function quarantinePrefix(onError: OnError, pipeline: string, sourceBucket: string): string {
  return `${onError.quarantine.prefix}${pipeline}/${sourceBucket}/`;
}
