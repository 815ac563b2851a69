import type { ConfigIssue } from '../../contract/errors.ts';
import { triggerCycleIssues } from './cycles.ts';
import { issueAt } from '../../engine/pipeline/positions.ts';
import type { PipelineField } from '../../engine/pipeline/positions.ts';
import { undeclaredBucket, undeclaredTable } from '../../engine/pipeline/resources.ts';
import type { Resources } from '../../engine/pipeline/resources.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketOutput, isBucketTrigger } from '../../engine/pipeline/schema.ts';

export interface DeclaredResources {
  resources: Resources;
  /** The file that declares them, named in messages. */
  file: string;
}

/** The buckets and tables a pipeline names, each with the field that names it. */
function namedResources(pipeline: Pipeline): { field: PipelineField; type: 'bucket' | 'table'; name: string }[] {
  return [
    isBucketTrigger(pipeline.on) ? { field: 'on.bucket', type: 'bucket', name: pipeline.on.bucket } : { field: 'on.table', type: 'table', name: pipeline.on.table },
    isBucketOutput(pipeline.to) ? { field: 'to.bucket', type: 'bucket', name: pipeline.to.bucket } : { field: 'to.table', type: 'table', name: pipeline.to.table },
    { field: 'onError.quarantine.bucket', type: 'bucket', name: pipeline.onError.quarantine.bucket },
  ];
}

/**
 * Every bucket and table a pipeline names must be declared in resources.yml, the one place the
 * runtime and the deployment read; a table that triggers a pipeline must have a stream.
 */
function resourceIssues(pipelines: readonly Pipeline[], declared: DeclaredResources): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const pipeline of pipelines) {
    for (const { field, type, name } of namedResources(pipeline)) {
      const problem = type === 'bucket' ? undeclaredBucket(name, declared.resources, declared.file) : undeclaredTable(name, declared.resources, declared.file);
      if (problem) issues.push(issueAt(pipeline, field, problem));
    }
    if (!isBucketTrigger(pipeline.on)) {
      const table = declared.resources.tables[pipeline.on.table];
      if (table && !table.stream) {
        issues.push(issueAt(pipeline, 'on.table', `table "${pipeline.on.table}" has no stream, so it cannot trigger a pipeline; declare one in ${declared.file}, e.g. "stream: NEW_AND_OLD_IMAGES"`));
      }
    }
  }
  return issues;
}

/**
 * Checks across pipelines, once each file is valid on its own: every problem they find, each at the
 * field to change. Run by every command that loads a project, before anything runs.
 */
export function checkProject(pipelines: readonly Pipeline[], declared: DeclaredResources): ConfigIssue[] {
  return [...resourceIssues(pipelines, declared), ...triggerCycleIssues(pipelines)];
}
