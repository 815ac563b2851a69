import { z } from 'zod';
import { NUMERIC_LIMIT, filterPatternProblems } from './filter-pattern-checks.ts';
import { STREAM_RECORD_SHAPE } from './stream-record-shape.ts';

/**
 * Lambda event filtering (FilterCriteria) for table-stream triggers: each pattern is checked as
 * Lambda checks it when the event source mapping is saved, and applied as Lambda applies it, to
 * each stream record as delivered (images marshalled). A record matching at least one pattern is
 * delivered; the others are skipped and count as processed, never retried.
 *
 * What Lambda does with DynamoDB numbers: `N` values are strings in the record (`{ "N": "42" }`)
 * and numeric matching only applies to JSON numbers, so `{ N: [{ numeric: [">", 0] }] }` never
 * matches and would drop every record (the Lambda docs say so: "DynamoDB event filtering doesn't
 * support the use of numeric operators"). Sluice refuses such a pattern with that explanation.
 * Numeric matching does work on the record's own numbers: `SizeBytes`, `ApproximateCreationDateTime`.
 */

/** Lambda's default quota of filters per event source mapping (10 on request). */
export const MAX_FILTERS = 5;
/** Lambda's limit on one filter's `Pattern`, a JSON string. */
export const MAX_PATTERN_LENGTH = 4096;

export type FilterMatcher =
  | string
  | number
  | boolean
  | null
  | { prefix: string }
  | { suffix: string }
  | { 'equals-ignore-case': string }
  | { 'anything-but': string | number | string[] | number[] | { prefix: string } }
  | { numeric: (string | number)[] }
  | { exists: boolean };

/** A field's matchers (OR), a nested pattern for a mapping, or `$or` patterns (one must match). */
export interface FilterPattern {
  [field: string]: FilterMatcher[] | FilterPattern | FilterPattern[];
}

/**
 * One pattern, as written in YAML (the pattern object itself, not its JSON string). Every
 * problem is a separate issue at its own path, so the loader reports `file:line:column`. Its
 * input is taken as unknown and checked by hand, because zod's structural errors inside the
 * trigger's union would be reported as "expected a mapping or ...", not where they are.
 */
export const filterPatternSpec = z
  .unknown()
  .superRefine((pattern, ctx) => {
    for (const problem of filterPatternProblems(pattern, STREAM_RECORD_SHAPE)) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    const length = JSON.stringify(pattern ?? null).length;
    if (length > MAX_PATTERN_LENGTH) {
      ctx.addIssue({ code: 'custom', message: `expected a pattern of at most ${MAX_PATTERN_LENGTH} characters as JSON (Lambda's limit for one filter), found ${length}` });
    }
  })
  .meta({ type: 'object' })
  .describe('A Lambda event filter pattern: record fields mapped to lists of matchers (values, { prefix }, { suffix }, { equals-ignore-case }, { anything-but }, { numeric }, { exists }), nested as the record is, with `$or` for alternatives.') as unknown as z.ZodType<FilterPattern, unknown>;

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Numbers as event-ruler compares them: within ±5e9, to six decimals; undefined outside. */
function comparable(value: number): number | undefined {
  return Math.abs(value) <= NUMERIC_LIMIT ? Math.trunc(1e6 * (NUMERIC_LIMIT + value)) : undefined;
}

function sameNumber(a: number, b: number): boolean {
  const ca = comparable(a);
  return a === b || (ca !== undefined && ca === comparable(b));
}

/** The leaf values at a field: an array's elements (flattened), none for a mapping (not a leaf) or an absent field. */
function leavesOf(value: unknown): unknown[] {
  if (value === undefined || isMapping(value)) return [];
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  return [value];
}

function inRange(value: number, bounds: (string | number)[]): boolean {
  const at = comparable(value);
  if (at === undefined) return false;
  for (let index = 0; index + 1 < bounds.length; index += 2) {
    const limit = comparable(bounds[index + 1] as number) ?? Number.NaN;
    const operator = bounds[index];
    const holds = operator === '=' ? at === limit : operator === '<' ? at < limit : operator === '<=' ? at <= limit : operator === '>' ? at > limit : at >= limit;
    if (!holds) return false;
  }
  return true;
}

function excludedBy(operand: string | number | string[] | number[], leaf: unknown): boolean {
  const values: (string | number)[] = Array.isArray(operand) ? operand : [operand];
  return values.some((value) => (typeof value === 'number' ? typeof leaf === 'number' && sameNumber(leaf, value) : leaf === value));
}

function matchesLeaf(matcher: FilterMatcher, leaf: unknown): boolean {
  if (typeof matcher === 'number') return typeof leaf === 'number' && sameNumber(leaf, matcher);
  if (!isMapping(matcher)) return leaf === matcher;
  if ('prefix' in matcher) return typeof leaf === 'string' && leaf.startsWith(matcher.prefix);
  if ('suffix' in matcher) return typeof leaf === 'string' && leaf.endsWith(matcher.suffix);
  if ('equals-ignore-case' in matcher) return typeof leaf === 'string' && leaf.toLowerCase() === matcher['equals-ignore-case'].toLowerCase();
  if ('numeric' in matcher) return typeof leaf === 'number' && inRange(leaf, matcher.numeric);
  if ('anything-but' in matcher) {
    const operand = matcher['anything-but'];
    if (isMapping(operand)) return !(typeof leaf === 'string' && leaf.startsWith(operand.prefix));
    return !excludedBy(operand, leaf);
  }
  return false;
}

/** A field's matchers: any one matching any leaf; `exists` asks whether there is a leaf at all. */
function matchesField(matchers: FilterMatcher[], value: unknown): boolean {
  const leaves = leavesOf(value);
  return matchers.some((matcher) => {
    if (isMapping(matcher) && 'exists' in matcher) return matcher.exists === leaves.length > 0;
    return leaves.some((leaf) => matchesLeaf(matcher, leaf));
  });
}

function matchesAt(pattern: FilterPattern, value: unknown): boolean {
  if (Array.isArray(value)) {
    // Array-consistent, as event-ruler's rulesForJSONEvent: the fields must match within one element.
    const elements = value.flat(Infinity);
    return elements.length === 0 ? matchesAt(pattern, undefined) : elements.some((element) => matchesAt(pattern, element));
  }
  return Object.entries(pattern).every(([field, inner]) => {
    if (field === '$or') return (inner as FilterPattern[]).some((alternative) => matchesAt(alternative, value));
    const child = isMapping(value) ? value[field] : undefined;
    return Array.isArray(inner) ? matchesField(inner as FilterMatcher[], child) : matchesAt(inner, child);
  });
}

/**
 * Whether a record matches a pattern, as Lambda decides: every field of the pattern matches (AND),
 * a field matches when one of its matchers does (OR); a field absent from the record fails every
 * matcher but `{ exists: false }`; a list in the record matches when one element does; a mapping
 * is not a leaf, so `exists` on it is false. Strings match strings and numbers numbers, never
 * each other.
 */
export function matchesFilterPattern(pattern: FilterPattern, record: unknown): boolean {
  return matchesAt(pattern, record);
}

/** Lambda delivers a record when it matches any of the filters; with no filters, every record. */
export function matchesAnyFilter(patterns: readonly FilterPattern[], record: unknown): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matchesFilterPattern(pattern, record));
}
