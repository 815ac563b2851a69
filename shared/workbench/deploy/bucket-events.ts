import type { Resources } from '../../engine/pipeline/resources.ts';
import type { BucketTrigger, Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketTrigger } from '../../engine/pipeline/schema.ts';
import { DeployError } from './deploy-error.ts';
import type { ResourceNames } from '../../engine/lambda/name-mapping.ts';

const S3_EVENTS = { created: 's3:ObjectCreated:*', removed: 's3:ObjectRemoved:*' } as const;

/** One S3 notification: an event type and at most one prefix and one suffix (S3 allows one of each per rule set). */
interface Notification {
  pipeline: string;
  event: string;
  prefix: string;
  suffix: string;
}

/** serverless.yml's `s3` event: `bucket` is a key of `provider.s3` for a bucket the stack creates, the AWS name for an existing one. */
export interface BucketEventConfig {
  s3: { bucket: string; event: string; rules?: ({ prefix: string } | { suffix: string })[]; existing?: true };
}

function notifications(pipeline: Pipeline, on: BucketTrigger): Notification[] {
  const suffixes = on.suffix.length ? on.suffix : [''];
  return on.events.flatMap((kind) => suffixes.map((suffix) => ({ pipeline: pipeline.name, event: S3_EVENTS[kind], prefix: on.prefix, suffix })));
}

/** One event per event type and suffix, since an S3 notification rule holds one suffix. */
export function bucketEvents(pipeline: Pipeline, resources: Resources, names: ResourceNames): BucketEventConfig[] {
  if (!isBucketTrigger(pipeline.on)) return [];
  const existing = resources.buckets[pipeline.on.bucket]?.existing === true;
  const bucket = existing ? (names.buckets[pipeline.on.bucket] ?? pipeline.on.bucket) : pipeline.on.bucket;
  return notifications(pipeline, pipeline.on).map(({ event, prefix, suffix }) => {
    const rules = [...(prefix ? [{ prefix }] : []), ...(suffix ? [{ suffix }] : [])];
    return { s3: { bucket, event, ...(rules.length ? { rules } : {}), ...(existing ? { existing: true as const } : {}) } };
  });
}

/**
 * S3 refuses a bucket's notification configuration when two of its rules can match the same key
 * for the same event type ("Configurations overlap"): one prefix starts the other and one suffix
 * ends the other. Found here, with the pipelines named, rather than halfway through a deploy.
 */
export function overlappingNotifications(pipelines: readonly Pipeline[]): string[] {
  const byBucket = new Map<string, Notification[]>();
  for (const pipeline of pipelines) {
    if (!isBucketTrigger(pipeline.on)) continue;
    byBucket.set(pipeline.on.bucket, [...(byBucket.get(pipeline.on.bucket) ?? []), ...notifications(pipeline, pipeline.on)]);
  }
  const problems: string[] = [];
  for (const [bucket, list] of byBucket) {
    list.forEach((a, i) => {
      for (const b of list.slice(i + 1)) {
        if (a.event !== b.event) continue;
        const prefixes = a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
        const suffixes = a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix);
        if (prefixes && suffixes) {
          const show = (n: Notification) => `${n.pipeline} (prefix "${n.prefix}", suffix "${n.suffix}")`;
          problems.push(`bucket ${bucket}: ${show(a)} and ${show(b)} can both match one key for ${a.event}, which S3 refuses; make their prefixes or suffixes disjoint`);
        }
      }
    });
  }
  return problems;
}

export function assertNoOverlap(pipelines: readonly Pipeline[]): void {
  const problems = overlappingNotifications(pipelines);
  if (problems.length) throw new DeployError('DEPLOY_TRIGGERS_OVERLAP', `Bucket triggers S3 cannot deliver:\n${problems.join('\n')}`);
}
