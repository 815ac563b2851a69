import type { ConfigIssue } from '../errors.ts';
import { triggerCycleIssues } from './cycles.ts';
import { issueAt } from './positions.ts';
import type { PipelineField } from './positions.ts';
import { undeclaredBucket } from './resources.ts';
import type { Resources } from './resources.ts';
import type { Pipeline } from './schema.ts';

export interface DeclaredResources {
  resources: Resources;
  /** The file that declares them, named in messages. */
  file: string;
}

const BUCKET_FIELDS: [PipelineField, (p: Pipeline) => string][] = [
  ['on.bucket', (p) => p.on.bucket],
  ['to.bucket', (p) => p.to.bucket],
  ['onError.quarantine.bucket', (p) => p.onError.quarantine.bucket],
];

/** Every bucket a pipeline names must be declared in resources.yml, the one place the runtime and the deployment read. */
function undeclaredBucketIssues(pipelines: readonly Pipeline[], declared: DeclaredResources): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const pipeline of pipelines) {
    for (const [field, bucketOf] of BUCKET_FIELDS) {
      const problem = undeclaredBucket(bucketOf(pipeline), declared.resources, declared.file);
      if (problem) issues.push(issueAt(pipeline, field, problem));
    }
  }
  return issues;
}

/**
 * Checks across pipelines, once each file is valid on its own: every problem they find, each at the
 * field to change. Run by every command that loads a project, before anything runs.
 */
export function checkProject(pipelines: readonly Pipeline[], declared: DeclaredResources): ConfigIssue[] {
  return [...undeclaredBucketIssues(pipelines, declared), ...triggerCycleIssues(pipelines)];
}
