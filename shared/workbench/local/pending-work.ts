import { buildS3Event, buildS3EventRecord } from '../../../events/s3/generate.ts';
import { normalizeS3Event } from '../../../events/s3/normalize.ts';
import { formatCount, formatMs } from '../../contract/units.ts';
import { matchesTrigger } from '../../engine/pipeline/trigger.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import type { ObjectNotice } from '../embedded-s3/notification-journal.ts';

/**
 * What is left for a later start (events not done with, stream records not acknowledged), and what
 * is running now: what `sluice run` and `sluice dev` say when they resume and when they stop.
 */

export interface PendingWork {
  /** Object events not yet done with by every pipeline they trigger. */
  objectEvents: number;
  /** Per pipeline: objects still to process (by its trigger), or stream records still to deliver. */
  pipelines: { pipeline: string; unit: 'objects' | 'records'; count: number; table?: string }[];
  /** Writes a stopped process left mid-request, settled at the next start by looking at the object. */
  interruptedWrites: number;
}

export interface WorkInFlight {
  pipeline: string;
  /** `uploads/images/a.jpg`, or `100 record(s) of the orders stream`. */
  what: string;
  startedAt: number;
}

/** How many of `notices` each bucket pipeline takes, as its trigger decides. */
export function objectsByPipeline(notices: readonly ObjectNotice[], pipelines: readonly Pipeline[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const notice of notices) {
    const record = buildS3EventRecord({ bucket: notice.bucket, key: notice.key, eventName: notice.eventName, size: notice.size ?? 0, ...(notice.eTag ? { eTag: notice.eTag } : {}) });
    for (const event of normalizeS3Event(buildS3Event([record]))) {
      for (const pipeline of pipelines) if (matchesTrigger(pipeline.on, event)) counts.set(pipeline.name, (counts.get(pipeline.name) ?? 0) + 1);
    }
  }
  return counts;
}

export function isEmpty(work: PendingWork): boolean {
  return work.objectEvents === 0 && work.interruptedWrites === 0 && work.pipelines.every((entry) => entry.count === 0);
}

/** `thumbnails 116 object(s), revenue 340 record(s) of the orders stream; 1 interrupted write to settle` */
export function describePending(work: PendingWork): string {
  const parts = work.pipelines.filter((entry) => entry.count > 0).map((entry) => `${entry.pipeline} ${formatCount(entry.count)} ${entry.unit === 'objects' ? 'object(s)' : `record(s) of the ${entry.table} stream`}`);
  if (!parts.length && work.objectEvents) parts.push(`${formatCount(work.objectEvents)} object event(s)`);
  const writes = work.interruptedWrites ? `${formatCount(work.interruptedWrites)} interrupted write(s) to settle` : '';
  return [parts.join(', '), writes].filter(Boolean).join('; ');
}

/** `thumbnails uploads/images/a.jpg (2.10 s), revenue 100 record(s) of the orders stream (0 ms)` */
export function describeInFlight(work: readonly WorkInFlight[], now: number): string {
  return work.map((entry) => `${entry.pipeline} ${entry.what} (${formatMs(now - entry.startedAt)})`).join(', ');
}
