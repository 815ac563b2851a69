import type { S3ObjectEvent } from '../../../events/s3/normalize.ts';
import type { Trigger } from './schema.ts';
import { isBucketTrigger } from './schema.ts';

/**
 * Whether an object event starts a pipeline, decided as S3 decides for a notification
 * configuration: a bucket trigger on the same bucket, an event type the trigger lists, and the
 * decoded key starting with the prefix and ending with one of the suffixes (case-sensitive, no
 * wildcards).
 */
export function matchesTrigger(trigger: Trigger, event: S3ObjectEvent): boolean {
  if (!isBucketTrigger(trigger) || event.bucket !== trigger.bucket) return false;
  if (!(trigger.events as readonly string[]).includes(event.kind)) return false;
  if (!event.key.startsWith(trigger.prefix)) return false;
  return trigger.suffix.length === 0 || trigger.suffix.some((suffix) => event.key.endsWith(suffix));
}
