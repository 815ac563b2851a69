import { closest } from 'fastest-levenshtein';
import { formatDecimal, parseDecimal } from '../../../events/dynamodb/dynamodb-number.ts';
import { describeValue } from '../../contract/describe-issue.ts';
import type { LeafValue, RecordShape } from './stream-record-shape.ts';
import { ATTRIBUTE_VALUE_SHAPE } from './stream-record-shape.ts';

/**
 * The grammar of a Lambda filter pattern (EventBridge's, as Lambda takes it), checked with one
 * message per problem at its exact path, and, given the record's shape, what could never match.
 * Rules follow aws/event-ruler, the matcher Lambda and EventBridge share: a non-empty list of
 * matchers per field, `$or` with at least two patterns, numeric ranges of one lower then one
 * upper bound within ±5e9, anything-but over strings or numbers, not both.
 */

type Path = (string | number)[];
export interface PatternProblem {
  path: Path;
  message: string;
}

export const MATCHERS = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists'] as const;
export const NUMERIC_OPERATORS = ['=', '<', '<=', '>', '>='] as const;
/** event-ruler compares numbers in this range only, to six decimals (its ComparableNumber). */
export const NUMERIC_LIMIT = 5e9;

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const quoteAll = (values: readonly string[]) => values.map((value) => JSON.stringify(value)).join(', ');
const suggestion = (key: string, known: readonly string[]) => (known.length ? ` (did you mean "${closest(key, [...known])}"?)` : '');

const HOLDS: Record<LeafValue, string> = {
  string: 'a string',
  'number-text': 'a DynamoDB number written as a string',
  number: 'a number',
  boolean: 'true or false',
  true: 'true',
};

/** What the record holds at a field whose matchers are being checked, and the field's name for messages. */
interface Leaf {
  holds: LeafValue;
  field: string;
}

class Checker {
  readonly problems: PatternProblem[] = [];

  add(path: Path, message: string): void {
    this.problems.push({ path, message });
  }

  pattern(value: unknown, path: Path, shape: RecordShape | undefined): void {
    if (!isMapping(value)) {
      this.add(path, `expected a filter pattern (a mapping of the record's fields to lists of matchers), found ${describeValue(value)}`);
      return;
    }
    if (Object.keys(value).length === 0) this.add(path, 'expected at least one field to match, found an empty mapping');
    for (const [key, inner] of Object.entries(value)) {
      const here = [...path, key];
      if (key === '$or') {
        this.or(inner, here, shape);
        continue;
      }
      const child = this.child(shape, key, here);
      if (child === null) continue;
      if (Array.isArray(inner)) this.matchers(inner, here, child);
      else if (isMapping(inner)) this.nested(inner, here, child);
      else this.add(here, `expected a list of matchers (${JSON.stringify([inner])} for one value)${child ? '' : ' or a nested pattern'}, found ${describeValue(inner)}`);
    }
  }

  /** The shape of a field, undefined where nothing is known, null when the record has no such field. */
  child(shape: RecordShape | undefined, key: string, path: Path): RecordShape | undefined | null {
    if (shape === undefined || shape.kind === 'leaf') return undefined;
    if (shape.kind === 'attributes') return ATTRIBUTE_VALUE_SHAPE;
    const found = shape.fields[key];
    if (found) return found;
    const known = Object.keys(shape.fields);
    if (shape === ATTRIBUTE_VALUE_SHAPE) this.add(path, `unknown attribute type "${key}"; expected one of ${known.join(', ')}`);
    else this.add(path, `unknown field "${key}" in ${shape.what}${suggestion(key, known)}; expected one of ${known.join(', ')}`);
    return null;
  }

  or(value: unknown, path: Path, shape: RecordShape | undefined): void {
    if (!Array.isArray(value)) {
      this.add(path, `expected a list of at least 2 patterns, one of which must match, found ${describeValue(value)}`);
      return;
    }
    if (value.length < 2) this.add(path, `expected at least 2 patterns (a single one needs no $or), found ${describeValue(value)}`);
    value.forEach((item, index) => this.pattern(item, [...path, index], shape));
  }

  nested(value: Record<string, unknown>, path: Path, shape: RecordShape | undefined): void {
    if (shape?.kind !== 'leaf') {
      this.pattern(value, path, shape);
      return;
    }
    const keys = Object.keys(value);
    if (keys.length > 0 && keys.every((key) => (MATCHERS as readonly string[]).includes(key))) {
      this.add(path, `expected a list of matchers, found a mapping: put the matcher in a list, [${JSON.stringify(value)}]`);
    } else {
      this.add(path, `expected a list of matchers, found a mapping: ${String(path.at(-1))} holds ${HOLDS[shape.holds]} in the record, it has no fields`);
    }
  }

  matchers(list: unknown[], path: Path, shape: RecordShape | undefined): void {
    if (shape && shape.kind !== 'leaf') {
      this.add(path, intermediateProblem(shape));
      return;
    }
    if (list.length === 0) this.add(path, 'expected at least one matcher, found an empty list');
    const leaf = shape ? { holds: shape.holds, field: String(path.at(-1)) } : undefined;
    list.forEach((item, index) => this.matcher(item, [...path, index], leaf));
  }

  matcher(value: unknown, path: Path, leaf: Leaf | undefined): void {
    if (isMapping(value)) {
      this.matcherObject(value, path, leaf);
    } else if (Array.isArray(value) || value === undefined) {
      this.add(path, `expected a value to match, or a mapping such as { prefix: "..." }, found ${describeValue(value)}`);
    } else {
      this.literal(value, path, leaf);
    }
  }

  literal(value: unknown, path: Path, leaf: Leaf | undefined): void {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      this.add(path, `expected a finite number, found ${describeValue(value)}`);
      return;
    }
    if (leaf === undefined) return;
    const { holds, field } = leaf;
    const kind = typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'null';
    const fits =
      (kind === 'string' && (holds === 'string' || holds === 'number-text')) ||
      (kind === 'number' && holds === 'number') ||
      (kind === 'boolean' && (holds === 'boolean' || (holds === 'true' && value === true)));
    if (fits && holds === 'number-text') this.numberText(value as string, path);
    else if (kind === 'number' && holds === 'number-text') {
      this.add(path, `expected ${JSON.stringify(String(value))}, a string: DynamoDB numbers are strings in the record, found ${describeValue(value)}`);
    } else if (!fits) {
      this.add(path, `expected ${HOLDS[holds]}, what ${field} holds in the record, found ${describeValue(value)}`);
    }
  }

  /** DynamoDB writes numbers with leading and trailing zeros trimmed: "42.0" never matches its "42". */
  numberText(text: string, path: Path): void {
    const parsed = parseDecimal(text);
    if (!parsed) {
      this.add(path, `expected a DynamoDB number as text, such as "42" or "-1.5", found ${describeValue(text)}`);
      return;
    }
    const written = formatDecimal(parsed);
    if (!/[eE]/.test(text) && written !== text) {
      this.add(path, `expected the number as DynamoDB writes it, ${JSON.stringify(written)}, found ${describeValue(text)}: exact matching compares text`);
    }
  }

  matcherObject(value: Record<string, unknown>, path: Path, leaf: Leaf | undefined): void {
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      const found = keys.length ? keys.join(' and ') : 'an empty mapping';
      this.add(path, `expected one matcher per mapping (one of ${MATCHERS.join(', ')}), found ${found}`);
      return;
    }
    const [name = ''] = keys;
    const operand = value[name];
    const here = [...path, name];
    switch (name) {
      case 'prefix':
      case 'suffix':
      case 'equals-ignore-case':
        if (typeof operand !== 'string') this.add(here, `expected a string, found ${describeValue(operand)}`);
        this.stringsOnly(name, path, leaf);
        return;
      case 'anything-but':
        this.anythingBut(operand, here, leaf);
        return;
      case 'numeric':
        this.numeric(operand, here, path, leaf);
        return;
      case 'exists':
        if (typeof operand !== 'boolean') this.add(here, `expected true or false, found ${describeValue(operand)}`);
        return;
      default:
        this.add(here, `unknown matcher "${name}"${suggestion(name, MATCHERS)}; expected one of ${MATCHERS.join(', ')}`);
    }
  }

  stringsOnly(matcher: string, path: Path, leaf: Leaf | undefined): void {
    if (leaf && leaf.holds !== 'string' && leaf.holds !== 'number-text') {
      this.add(path, `${matcher} matches strings only, and ${leaf.field} holds ${HOLDS[leaf.holds]} in the record`);
    }
  }

  anythingBut(operand: unknown, path: Path, leaf: Leaf | undefined): void {
    const expected = 'expected a string, a number, a list of strings or of numbers, or { prefix: "..." }';
    if (isMapping(operand)) {
      const keys = Object.keys(operand);
      if (keys.length !== 1 || keys[0] !== 'prefix') {
        this.add(path, `expected { prefix: "..." } (the one matcher anything-but takes), found ${keys.length ? keys.join(' and ') : 'an empty mapping'}`);
      } else if (typeof operand.prefix !== 'string' || operand.prefix === '') {
        this.add([...path, 'prefix'], `expected a non-empty string, found ${describeValue(operand.prefix)}`);
      }
      this.stringsOnly('anything-but prefix', path.slice(0, -1), leaf);
      return;
    }
    const values = Array.isArray(operand) ? operand : [operand];
    if (Array.isArray(operand) && operand.length === 0) this.add(path, `${expected}, found an empty list`);
    values.forEach((value, index) => {
      const at = Array.isArray(operand) ? [...path, index] : path;
      if (typeof value === 'string' || (typeof value === 'number' && this.numberOperand(value, at))) this.literal(value, at, leaf);
      else if (typeof value !== 'number') this.add(at, `${expected}, found ${describeValue(value)}`);
    });
    const types = new Set(values.map((value) => typeof value));
    if (types.has('string') && types.has('number')) this.add(path, 'expected only strings or only numbers, found both');
  }

  /** A number event-ruler can compare. */
  numberOperand(value: unknown, path: Path): boolean {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.add(path, `expected a number, found ${describeValue(value)}`);
      return false;
    }
    if (Math.abs(value) > NUMERIC_LIMIT) {
      this.add(path, `expected a number from -${NUMERIC_LIMIT} to ${NUMERIC_LIMIT} (the range Lambda compares), found ${describeValue(value)}`);
      return false;
    }
    return true;
  }

  numeric(operand: unknown, path: Path, matcherPath: Path, leaf: Leaf | undefined): void {
    if (leaf?.holds === 'number-text') {
      this.add(matcherPath, 'numeric never matches a DynamoDB number: N values are strings in the record ("42"), and Lambda compares JSON numbers only, so this filter would drop every record; match the text (N: ["42"], { prefix: "4" }) or filter in a step');
      return;
    }
    if (leaf && leaf.holds !== 'number') {
      this.add(matcherPath, `numeric matches numbers only, and ${leaf.field} holds ${HOLDS[leaf.holds]} in the record`);
      return;
    }
    const example = 'such as ["=", 5], [">", 0] or [">", 0, "<=", 100]';
    if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
      this.add(path, `expected an operator and a number, or a lower then an upper bound, ${example}, found ${describeValue(operand)}`);
      return;
    }
    let valid = true;
    operand.forEach((item, index) => {
      if (index % 2 === 1) valid = this.numberOperand(item, [...path, index]) && valid;
      else if (!(NUMERIC_OPERATORS as readonly unknown[]).includes(item)) {
        this.add([...path, index], `expected one of ${quoteAll(NUMERIC_OPERATORS)}, found ${describeValue(item)}`);
        valid = false;
      }
    });
    if (valid && operand.length === 4) this.range(operand as [string, number, string, number], path);
  }

  range([lowOp, low, highOp, high]: [string, number, string, number], path: Path): void {
    if ((lowOp !== '>' && lowOp !== '>=') || (highOp !== '<' && highOp !== '<=')) {
      this.add(path, `expected a lower bound (">" or ">=") then an upper bound ("<" or "<="), found "${lowOp}" then "${highOp}"`);
    } else if (low >= high) {
      const single = low === high && lowOp === '>=' && highOp === '<=' ? ` (for one value, write ["=", ${low}])` : ': no number is in this range';
      this.add(path, `expected the lower bound below the upper bound, found ${lowOp} ${low} and ${highOp} ${high}${single}`);
    }
  }
}

function intermediateProblem(shape: Exclude<RecordShape, { kind: 'leaf' }>): string {
  if (shape === ATTRIBUTE_VALUE_SHAPE) {
    return 'expected the attribute\'s type and its matchers, such as { S: [...] } or { N: ["42"] } (and { S: [{ exists: true }] } to test that it is there), found a list: image values are typed in the record, and matchers apply to leaves only';
  }
  if (shape.kind === 'attributes') return `expected a mapping of attribute names, found a list: ${shape.what} holds attributes by name in the record`;
  return `expected a mapping of the fields of ${shape.what} (${Object.keys(shape.fields).join(', ')}), found a list: matchers apply to leaves only`;
}

/** Every problem with one pattern; `shape` (the record it filters) also refuses what could never match. */
export function filterPatternProblems(pattern: unknown, shape?: RecordShape): PatternProblem[] {
  const checker = new Checker();
  checker.pattern(pattern, [], shape);
  return checker.problems;
}
