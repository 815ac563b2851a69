import type { OnError } from './schema.ts';

/** Beside each quarantined copy, the reason it was quarantined: `<copy key>.error.json`. */
export const QUARANTINE_REASON_SUFFIX = '.error.json';

/** Beside the source's key, what its steps reported about it (rows in, clean, rejected by reason, ...). */
export const SUMMARY_SUFFIX = '.summary.json';

/** Beside the source's key, the records a step rejected from it, one JSON line each with its reasons. */
export const REJECTED_RECORDS_SUFFIX = '.rejected.ndjson';

/**
 * The key prefix under which a pipeline quarantines what came from one source (a bucket, or a
 * table's stream): `<prefix><pipeline>/<source>/`. The runtime writes there, the trigger-cycle
 * check reads the same layout, and pipeline tests look there.
 */
export function quarantinePrefix(onError: OnError, pipeline: string, source: string): string {
  return `${onError.quarantine.prefix}${pipeline}/${source}/`;
}

/** How a stream pipeline's quarantine files end: a batch given up on, a record a step rejected. */
export const BATCH_SUFFIXES = { failed: '.failed.json', rejected: '.rejected.json' } as const;

/**
 * Where a table-triggered pipeline quarantines a batch (or the records of it that were rejected):
 * named by the first and last sequence numbers, so a batch quarantined twice lands on one key.
 */
export function quarantineBatchKey(onError: OnError, pipeline: string, table: string, first: string, last: string, what: keyof typeof BATCH_SUFFIXES): string {
  return `${quarantinePrefix(onError, pipeline, table)}${first}-${last}${BATCH_SUFFIXES[what]}`;
}
