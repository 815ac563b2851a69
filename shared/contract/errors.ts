/**
 * One base error for everything Sluice reports on purpose. Every subclass has a stable `code`, and
 * says whether retrying could help (`permanent`): a corrupt image stays corrupt, a dropped
 * connection may not.
 */
export interface SluiceErrorOptions {
  cause?: unknown;
  permanent?: boolean;
}

export class SluiceError extends Error {
  override readonly name: string = 'SluiceError';
  readonly code: string;
  readonly permanent: boolean;

  constructor(code: string, message: string, options: SluiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.permanent = options.permanent ?? false;
  }
}

/** Where a configuration problem is, as `file:line:column` plus the field path inside the document. */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.path ? ` ${issue.path}:` : '';
  return `${issue.file}:${issue.line}:${issue.column}:${where} ${issue.message}`;
}

/** A pipeline definition or handler configuration that is not valid. Lists every problem found. */
export class ConfigError extends SluiceError {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options: SluiceErrorOptions = {}) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super('CONFIG_INVALID', `Invalid configuration (${count}):\n${issues.map(formatConfigIssue).join('\n')}`, {
      ...options,
      permanent: true,
    });
    this.issues = issues;
  }
}

/** An event (S3 notification, stream batch) that does not have the shape Lambda delivers. */
export class EventError extends SluiceError {
  override readonly name = 'EventError';

  constructor(message: string, options: SluiceErrorOptions = {}) {
    super('EVENT_INVALID', message, { ...options, permanent: true });
  }
}

/** Input data a handler cannot process (a corrupt image, an unreadable file): goes to quarantine, never retried. */
export class InputError extends SluiceError {
  override readonly name = 'InputError';

  constructor(code: string, message: string, options: SluiceErrorOptions = {}) {
    super(code, message, { ...options, permanent: true });
  }
}

/** A failure inside one step of a pipeline, naming the step; `cause` holds the original error. */
export class StepError extends SluiceError {
  override readonly name = 'StepError';
  readonly step: string;
  readonly stepIndex: number;

  constructor(step: string, stepIndex: number, cause: unknown) {
    const inner = cause instanceof Error ? cause.message : String(cause);
    const permanent = cause instanceof SluiceError ? cause.permanent : false;
    const code = cause instanceof SluiceError ? cause.code : 'STEP_FAILED';
    super(code, `step ${stepIndex + 1} (${step}): ${inner}`, { cause, permanent });
    this.step = step;
    this.stepIndex = stepIndex;
  }
}

/** A command-line usage problem (bad flag value, missing file). */
export class UsageError extends SluiceError {
  override readonly name = 'UsageError';

  constructor(message: string) {
    super('USAGE', message, { permanent: true });
  }
}
