import type { z } from 'zod';
import { describeIssues, describeValue, formatPath } from '../shared/contract/describe-issue.ts';
import { EventError } from '../shared/contract/errors.ts';

/**
 * Validation of incoming events against their zod schemas, in the one message template Sluice uses
 * for every invalid value (`Records[1].s3.object.key: expected a string, found 42 (number)`).
 * Every problem is reported, not only the first: a batch with three broken records names all three.
 */

type Issue = z.core.$ZodIssue;
export type EventPath = readonly PropertyKey[];

/** Which kind of payload an event is, told from the fields that identify it; or what it is instead, at a path. */
export type ShapeDetection<Shape extends string> = { shape: Shape } | { path: EventPath; problem: string };

/** `Records[1].s3.object.key`: the notation every event message uses ('' for the event itself). */
export const formatEventPath = (path: EventPath): string => formatPath(path);

/** A value quoted inside a sentence (`"aws:dynamodb" records are ...`): short, never a whole document. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return describeValue(value);
}

/** `Records[0].s3: missing; expected a mapping`; a problem with the whole event has no path. */
export function locateProblem(path: EventPath, problem: string): string {
  const where = formatPath(path);
  return where ? `${where}: ${problem}` : problem;
}

/** One line per problem, each starting with the full path (prefixed by where this document sits). */
export function describeEventIssues(issues: readonly Issue[], input: unknown, prefix: EventPath = []): string[] {
  return describeIssues(issues, input).map((issue) => locateProblem([...prefix, ...issue.path], issue.message));
}

/** Throws one EventError listing every problem; `what` names the kind of event that was expected. */
export function throwEventProblems(what: string, problems: readonly string[], cause?: unknown): never {
  const message =
    problems.length === 1
      ? `Invalid ${what}: ${problems[0]}`
      : `Invalid ${what} (${problems.length} problems):\n  ${problems.join('\n  ')}`;
  throw new EventError(message, cause === undefined ? {} : { cause });
}

/** Parses `input` with `schema` or throws an EventError naming every problem and its location. */
export function parseEvent<S extends z.ZodType>(schema: S, input: unknown, what: string, prefix: EventPath = []): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throwEventProblems(what, describeEventIssues(result.error.issues, input, prefix), result.error);
}
