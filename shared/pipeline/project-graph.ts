import { canMatch } from './key-pattern.ts';
import type { PipelineWrite } from './pipeline-writes.ts';
import { pipelineWrites } from './pipeline-writes.ts';
import type { BucketTrigger, Pipeline } from './schema.ts';

/** `from` writes something (`write`) that can start `to`. */
export interface TriggerLink {
  from: Pipeline;
  write: PipelineWrite;
  to: Pipeline;
  /** The suffixes of `to`'s trigger that a written key can end with; empty when it has none. */
  suffixes: string[];
}

/** The project as resources and pipelines: which pipeline reads and writes which bucket, and which writes start which pipeline. */
export interface ProjectGraph {
  pipelines: readonly Pipeline[];
  /** Every bucket read or written, in the order the pipelines first name them. */
  buckets: string[];
  links: TriggerLink[];
}

/**
 * Whether an object `write` puts can match `trigger`, as S3 would filter it: same bucket, an event
 * kind the trigger lists (every write is a `created` event), the prefix, one of the suffixes.
 * Returns the suffixes that can match (`[]` for a trigger without any), or undefined.
 */
export function suffixesTriggered(write: PipelineWrite, trigger: BucketTrigger): string[] | undefined {
  if (write.bucket !== trigger.bucket || !(trigger.events as readonly string[]).includes('created')) return undefined;
  const suffixes = trigger.suffix.length ? trigger.suffix : [''];
  const matched = suffixes.filter((suffix) => write.keys.some((key) => canMatch(key, { prefix: trigger.prefix, suffix }, { normalize: write.normalize })));
  if (!matched.length) return undefined;
  return trigger.suffix.length ? matched : [];
}

export function buildProjectGraph(pipelines: readonly Pipeline[]): ProjectGraph {
  const buckets = [...new Set(pipelines.flatMap((p) => [p.on.bucket, p.to.bucket, p.onError.quarantine.bucket]))];
  const links: TriggerLink[] = [];
  for (const from of pipelines) {
    for (const write of pipelineWrites(from)) {
      for (const to of pipelines) {
        const suffixes = suffixesTriggered(write, to.on);
        if (suffixes) links.push({ from, write, to, suffixes });
      }
    }
  }
  return { pipelines, buckets, links };
}
