import type { ConfigIssue } from '../../contract/errors.ts';
import { formatConfigIssue } from '../../contract/errors.ts';
import { functionLimits } from '../../engine/pipeline/function-limits.ts';
import { issueAtPath } from '../../engine/pipeline/positions.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import type { Project } from '../project/load-project.ts';
import { streamDefaultIssues } from './stream-defaults.ts';

/**
 * Pre-flight checks: what a valid project would still get wrong on AWS Lambda, found before it is
 * deployed. Run by `sluice validate` and before packaging; not by `sluice run`, since the local
 * runtime has none of these limits.
 *
 * Each handler checks its own options against its function's memory and timeout (its
 * definition's `preflight`, so a fork keeps the checks); these add what the pipeline itself sets.
 *
 * What applies to a Sluice function, and what does not:
 * - Memory: a resize step holds the source and its decoded pixels, and encodes every variant at
 *   once; resize checks it against the function's memory for the largest image its limits accept.
 * - Time (at most 900 s an invocation): a resize step's per-image timeout must end early enough
 *   to quarantine the image; resize checks it.
 * - Invocation payloads (6 MB synchronous, less asynchronous): an S3 notification carries one
 *   small record and the object is read with GetObject; stream batches are cut at 6 MB by Lambda
 *   itself. No setting of a pipeline can reach them: not checked.
 * - /tmp (512 MB by default): only sanitize's dedupe writes there, beyond 16 MB of keys in memory,
 *   16 bytes a distinct key (160 MB for ten million); no setting bounds the keys: not checked.
 * - Table-trigger settings left to defaults that differ between tools: warnings (stream-defaults.ts).
 */

export type Severity = 'error' | 'warning';

/** An error stops a deployment (and `sluice validate` exits 1); a warning is printed only. */
export interface PreflightIssue extends ConfigIssue {
  severity: Severity;
}

export const byPlace = (a: ConfigIssue, b: ConfigIssue) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;

/** What each step's handler finds wrong with its options in the pipeline's function, at the option in the file. */
function stepIssues(pipeline: Pipeline): PreflightIssue[] {
  const { memorySize, timeout } = functionLimits(pipeline);
  return pipeline.steps.flatMap((step, index) => {
    const problems = pipeline.handlers.get(step.handler)?.preflight?.(step.config, { memorySize, timeout }) ?? [];
    return problems.map((problem) => ({ ...issueAtPath(pipeline, ['steps', index, step.handler, ...problem.path], problem.message), severity: problem.severity }));
  });
}

export function preflightIssues(project: Pick<Project, 'pipelines'>): PreflightIssue[] {
  return project.pipelines.flatMap((pipeline) => [...stepIssues(pipeline), ...streamDefaultIssues(pipeline)]).sort(byPlace);
}

/** `file:line:column: field.path: message` for an error, as every config problem; `file:line:column: warning: field.path: message` for a warning. */
export function formatPreflightIssue(issue: PreflightIssue): string {
  if (issue.severity === 'error') return formatConfigIssue(issue);
  return `${issue.file}:${issue.line}:${issue.column}: warning: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}
