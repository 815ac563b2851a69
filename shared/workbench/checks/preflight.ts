import type { ConfigIssue } from '../../contract/errors.ts';
import { formatConfigIssue } from '../../contract/errors.ts';
import type { HandlerRegistry } from '../../engine/registry.ts';
import { functionSettings } from '../deploy/function-settings.ts';
import type { Project } from '../../engine/pipeline/load.ts';
import { resizeIssues } from '../../../handlers/resize/preflight.ts';
import { streamDefaultIssues } from './stream-defaults.ts';

/**
 * Pre-flight checks: what a valid project would still get wrong on AWS Lambda, found before it is
 * deployed. Run by `sluice validate` and before packaging; not by `sluice run`, since the local
 * runtime has none of these limits.
 *
 * What applies to a Sluice function, and what does not:
 * - Memory: a resize step holds the source and its decoded pixels, and encodes every variant at
 *   once; checked against the function's memory for the largest image its limits accept.
 * - Time (at most 900 s an invocation): a resize step's per-image timeout must end early enough
 *   to quarantine the image; checked.
 * - Invocation payloads (6 MB synchronous, less asynchronous): an S3 notification carries one
 *   small record and the object is read with GetObject; stream batches are cut at 6 MB by Lambda
 *   itself. No setting of a pipeline can reach them: not checked.
 * - /tmp (512 MB by default): Sluice writes nothing there (sources are held in memory or
 *   streamed): not checked.
 * - sanitize streams in constant memory but for its dedupe keys (about 43 bytes a distinct key of
 *   one file), which no setting bounds: not checked.
 */

export type Severity = 'error' | 'warning';

/** An error stops a deployment (and `sluice validate` exits 1); a warning is printed only. */
export interface PreflightIssue extends ConfigIssue {
  severity: Severity;
}

const byPlace = (a: ConfigIssue, b: ConfigIssue) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;

export function preflightIssues(project: Pick<Project, 'pipelines'>, registry?: HandlerRegistry): PreflightIssue[] {
  return project.pipelines.flatMap((pipeline) => [...resizeIssues(pipeline, functionSettings(pipeline, registry)), ...streamDefaultIssues(pipeline)]).sort(byPlace);
}

/** `file:line:column: field.path: message` for an error, as every config problem; `file:line:column: warning: field.path: message` for a warning. */
export function formatPreflightIssue(issue: PreflightIssue): string {
  if (issue.severity === 'error') return formatConfigIssue(issue);
  return `${issue.file}:${issue.line}:${issue.column}: warning: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}
