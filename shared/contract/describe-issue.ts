import type { z } from 'zod';
import { closest } from 'fastest-levenshtein';
import { knownKeysAt, unionOptionKeys } from './schema-walk.ts';

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

/** One problem in a document: where (path) and what, in the one message template Sluice uses. */
export interface DescribedIssue {
  path: PathSegment[];
  /** True when the problem is about a key itself (unknown key), not its value. */
  atKey: boolean;
  message: string;
}

/** `variants[1].width`, the field path users see in every message. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

/** How a found value is named in messages: short, typed, never a whole document. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `${JSON.stringify(shown)} (string)`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)} (${typeof value})`;
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  return 'a mapping';
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

function expectedType(expected: string): string {
  if (expected === 'int') return 'an integer';
  if (expected === 'array') return 'a list';
  if (expected === 'object' || expected === 'record') return 'a mapping';
  return article(expected);
}

function bound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const limit = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const small = issue.code === 'too_small';
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
    return `a number ${small ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<'} ${limit}`;
  }
  const unit = `${issue.origin === 'string' ? 'character' : 'item'}${limit === '1' ? '' : 's'}`;
  return `${small ? 'at least' : 'at most'} ${limit} ${unit}`;
}

/** What was expected, from a zod issue. Custom messages (regex, refinements) are already phrased as the expectation. */
function expectation(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return expectedType(issue.expected);
    case 'too_small':
    case 'too_big':
      return bound(issue);
    case 'invalid_value':
      return issue.values.length === 1
        ? JSON.stringify(issue.values[0])
        : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `a ${issue.format}${'pattern' in issue ? ` matching ${String(issue.pattern)}` : ''}` : issue.message;
    case 'invalid_union': {
      const forms = issue.errors.map((branch) => (branch[0] ? expectation(branch[0]) : 'another form'));
      return [...new Set(forms)].join(' or ');
    }
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

/** The issues of the union option a mapping was meant as, when exactly one shares most keys with it. */
function meantOption(issue: Extract<Issue, { code: 'invalid_union' }>, input: unknown, path: PathSegment[], schema: z.ZodType): Issue[] | undefined {
  const found = valueAt(input, path);
  if (found === null || typeof found !== 'object' || Array.isArray(found)) return undefined;
  const options = unionOptionKeys(schema, path);
  if (!options || options.length !== issue.errors.length) return undefined;
  const present = Object.keys(found);
  const scores = options.map((keys) => present.filter((key) => keys.includes(key)).length);
  const best = Math.max(...scores);
  if (best === 0 || scores.filter((score) => score === best).length > 1) return undefined;
  return issue.errors[scores.indexOf(best)];
}

/**
 * Turns zod issues into Sluice's messages: `expected <what>, found <value>`, or
 * `unknown key "x" (did you mean "y"?)`. `schema` is used to suggest the key that was meant.
 */
export function describeIssues(issues: readonly Issue[], input: unknown, schema?: z.ZodType): DescribedIssue[] {
  const out: DescribedIssue[] = [];
  for (const issue of issues) {
    const path = [...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const written = valueAt(input, path);
      const present = written !== null && typeof written === 'object' ? Object.keys(written).filter((key) => !issue.keys.includes(key)) : [];
      const known = schema ? knownKeysAt(schema, path, present) : [];
      const forms = schema ? (unionOptionKeys(schema, path) ?? []) : [];
      for (const key of issue.keys) {
        // A key of the mapping's other form (`table` in a bucket trigger): the two were mixed.
        const other = forms.find((keys) => keys.includes(key) && !keys.some((name) => known.includes(name)));
        if (other) {
          const mixed = present.filter((name) => known.includes(name) && !other.includes(name));
          out.push({ path: [...path, key], atKey: true, message: `"${key}" cannot be used with ${mixed.map((name) => `"${name}"`).join(', ')}: write either ${known.join(', ')} or ${other.join(', ')}` });
          continue;
        }
        const suggestion = known.length ? closest(key, known) : undefined;
        const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
        const allowed = known.length ? `; expected one of ${known.join(', ')}` : '';
        out.push({ path: [...path, key], atKey: true, message: `unknown key "${key}"${hint}${allowed}` });
      }
      continue;
    }
    if (issue.code === 'invalid_key') {
      // A record's key (a bucket or table name) is wrong: the problem is the key itself.
      const key = path[path.length - 1];
      const inner = issue.issues[0];
      out.push({ path, atKey: true, message: `expected ${inner ? expectation(inner) : 'another key'}, found ${describeValue(key)}` });
      continue;
    }
    if (issue.code === 'invalid_union' && schema) {
      // A mapping meant as one of the union's forms (the one sharing most keys with it): its problems, not the union's.
      const meant = meantOption(issue, input, path, schema);
      if (meant) {
        out.push(...describeIssues(meant.map((inner) => ({ ...inner, path: [...path, ...inner.path] })), input, schema));
        continue;
      }
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 1) {
      // A mapping that names none of the forms' keys (`on: {}`): say which keys make each form.
      const missing = issue.errors.map((branch) => branch[0]).filter((first) => first?.code === 'invalid_type' && first.path.length === 1 && valueAt(input, [...path, ...first.path]) === undefined);
      const found = valueAt(input, path);
      if (missing.length === issue.errors.length && found !== null && typeof found === 'object' && !Array.isArray(found)) {
        const keys = [...new Set(missing.map((first) => JSON.stringify(String(first!.path[0]))))];
        out.push({ path, atKey: false, message: `expected a mapping with ${keys.length > 1 ? 'one of ' : ''}${keys.join(' or ')}, found ${describeValue(found)}${Object.keys(found).length ? ` with ${Object.keys(found).map((key) => JSON.stringify(key)).join(', ')}` : ' with no keys'}` });
        continue;
      }
    }
    if (issue.code === 'custom') {
      out.push({ path, atKey: false, message: issue.message });
      continue;
    }
    const found = valueAt(input, path);
    const message =
      found === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === 'invalid_value')
        ? `missing; expected ${expectation(issue)}`
        : `expected ${expectation(issue)}, found ${describeValue(found)}`;
    out.push({ path, atKey: false, message });
  }
  return out;
}
