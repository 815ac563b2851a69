import { canMatch } from './key-pattern.ts';
import type { PipelineWrite, ResourceRef } from './pipeline-writes.ts';
import { pipelineWrites } from './pipeline-writes.ts';
import type { BucketTrigger, Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketOutput, isBucketTrigger } from '../../engine/pipeline/schema.ts';

/** `from` writes something (`write`) that can start `to`. */
export interface TriggerLink {
  from: Pipeline;
  write: PipelineWrite;
  to: Pipeline;
  /** The suffixes of `to`'s bucket trigger that a written key can end with; empty when it has none, or for a table trigger. */
  suffixes: string[];
}

/** The project as resources and pipelines: which pipeline reads and writes which bucket or table, and which writes start which pipeline. */
export interface ProjectGraph {
  pipelines: readonly Pipeline[];
  /** Every bucket and table read or written, in the order the pipelines first name them. */
  resources: ResourceRef[];
  links: TriggerLink[];
}

/**
 * Whether an object `write` puts can match `trigger`, as S3 would filter it: same bucket, an event
 * kind the trigger lists (every write is a `created` event), the prefix, one of the suffixes.
 * Returns the suffixes that can match (`[]` for a trigger without any), or undefined.
 */
export function suffixesTriggered(write: PipelineWrite, trigger: BucketTrigger): string[] | undefined {
  if (write.resource.type !== 'bucket' || write.resource.name !== trigger.bucket || !trigger.events.includes('created')) return undefined;
  const suffixes = trigger.suffix.length ? trigger.suffix : [''];
  const matched = suffixes.filter((suffix) => write.keys.some((key) => canMatch(key, { prefix: trigger.prefix, suffix }, { normalize: write.normalize })));
  if (!matched.length) return undefined;
  return trigger.suffix.length ? matched : [];
}

/**
 * Whether `write` can start `to`. Every write to a table is a change on its stream; filter
 * patterns depend on the values written, which no check can know, so they are assumed to match.
 */
function triggeredSuffixes(write: PipelineWrite, to: Pipeline): string[] | undefined {
  if (isBucketTrigger(to.on)) return suffixesTriggered(write, to.on);
  return write.resource.type === 'table' && write.resource.name === to.on.table ? [] : undefined;
}

export function triggerResource(pipeline: Pipeline): ResourceRef {
  return isBucketTrigger(pipeline.on) ? { type: 'bucket', name: pipeline.on.bucket } : { type: 'table', name: pipeline.on.table };
}

export function outputResource(pipeline: Pipeline): ResourceRef {
  return isBucketOutput(pipeline.to) ? { type: 'bucket', name: pipeline.to.bucket } : { type: 'table', name: pipeline.to.table };
}

export function buildProjectGraph(pipelines: readonly Pipeline[]): ProjectGraph {
  const resources = new Map<string, ResourceRef>();
  for (const pipeline of pipelines) {
    for (const resource of [triggerResource(pipeline), outputResource(pipeline), { type: 'bucket' as const, name: pipeline.onError.quarantine.bucket }]) {
      resources.set(`${resource.type}:${resource.name}`, resource);
    }
  }
  const links: TriggerLink[] = [];
  for (const from of pipelines) {
    for (const write of pipelineWrites(from)) {
      for (const to of pipelines) {
        const suffixes = triggeredSuffixes(write, to);
        if (suffixes) links.push({ from, write, to, suffixes });
      }
    }
  }
  return { pipelines, resources: [...resources.values()], links };
}
