import type { ColumnType } from './column-options.ts';
import type { ColumnRule } from './column-spec.ts';
import { DEFAULT_FALSE_VALUES, DEFAULT_TRUE_VALUES } from './column-options.ts';
import type { DecimalNumber } from '../../../events/dynamodb/dynamodb-number.ts';
import type { DateFormat } from './date-format.ts';
import { compileDateFormat } from './date-format.ts';
import type { DateRule } from './date-time.ts';
import { DEFAULT_DATETIME_FORMATS, DEFAULT_DATE_FORMATS, checkDateBounds, expectedDate, readDate, readDateBound } from './date-time.ts';
import { EXPECTED_EMAIL, readEmail } from './email.ts';
import type { RuleFailure } from './failure.ts';
import { describeFound, describeText, failure, orList } from './failure.ts';
import { checkNumberBounds, readBound, readNumber } from './numbers.ts';
import { expectedPhone, readPhone } from './phone.ts';
import type { TextCleaning } from './text.ts';
import { cleanText, codePointLength } from './text.ts';

/**
 * One column's rule compiled once (formats, pattern, bounds, allowed values) into a function from
 * a raw cell to its clean value or every reason it fails.
 */

export type ColumnReading =
  /** `text`: the clean value as text (what PII actions and dedupe keys read); null for no value. */
  | { ok: true; value: unknown; text: string | null }
  | { ok: false; failures: RuleFailure[] };

export interface ColumnCleaner {
  name: string;
  rule: ColumnRule;
  clean(raw: unknown): ColumnReading;
}

/** A typed reading: `value` is what the row gets (the text itself when absent), `key` orders dates. */
type Typed = { ok: true; text: string; value?: unknown; key?: string; parsed?: DecimalNumber } | { ok: false; failure: RuleFailure };

interface TypeReader {
  expected: string;
  read(text: string): Typed;
  /** The check on the typed value (bounds, length): its failure, if it fails. */
  check?(typed: Extract<Typed, { ok: true }>): RuleFailure | undefined;
}

const NOUNS: Record<ColumnType, string> = {
  string: 'text',
  integer: 'integer',
  decimal: 'decimal',
  boolean: 'boolean',
  date: 'date',
  datetime: 'date-time',
  email: 'email',
  phone: 'phone number',
  enum: 'allowed value',
};

/** Compiles `formats` (the spec has checked them). */
export function dateFormatsOf(rule: ColumnRule, type: 'date' | 'datetime'): DateFormat[] {
  const sources = rule.formats ?? (type === 'date' ? DEFAULT_DATE_FORMATS : DEFAULT_DATETIME_FORMATS);
  return sources.map((source) => {
    const compiled = compileDateFormat(source);
    if (!compiled.ok) throw new Error(`format ${JSON.stringify(source)}: ${compiled.message}`);
    return compiled.format;
  });
}

/** `^(?:pattern)$` in Unicode mode: the whole value must match, as HTML's pattern attribute does. */
export const compilePattern = (pattern: string) => new RegExp(`^(?:${pattern})$`, 'u');

function numberReader(rule: ColumnRule, type: 'integer' | 'decimal'): TypeReader {
  const min = rule.min === undefined ? undefined : readBound(rule.min);
  const max = rule.max === undefined ? undefined : readBound(rule.max);
  return {
    expected: type === 'integer' ? 'an integer' : 'a decimal number',
    read: (text) => readNumber(text, type),
    check:
      min || max
        ? ({ parsed }) => (parsed ? checkNumberBounds(parsed, type, min, max) : undefined)
        : undefined,
  };
}

function dateReader(rule: ColumnRule, type: 'date' | 'datetime'): TypeReader {
  const min = typeof rule.min === 'string' ? readDateBound(rule.min, type) : undefined;
  const max = typeof rule.max === 'string' ? readDateBound(rule.max, type) : undefined;
  const dateRule: DateRule = { type, formats: dateFormatsOf(rule, type), timeZone: rule.timezone, keyed: Boolean(min || max) };
  return {
    expected: expectedDate(dateRule),
    read: (text) => readDate(text, dateRule),
    check:
      min || max
        ? (typed) => checkDateBounds(typed.key ?? typed.text, type, min, max)
        : undefined,
  };
}

function booleanReader(rule: ColumnRule): TypeReader {
  const trueValues = (rule.trueValues ?? DEFAULT_TRUE_VALUES).map((value) => value.toLowerCase());
  const falseValues = (rule.falseValues ?? DEFAULT_FALSE_VALUES).map((value) => value.toLowerCase());
  const lookup = new Map<string, boolean>([...trueValues.map((value) => [value, true] as const), ...falseValues.map((value) => [value, false] as const)]);
  const expected = `one of ${orList([...trueValues, ...falseValues])} (any case)`;
  return {
    expected,
    read: (text) => {
      const value = lookup.get(text.toLowerCase());
      return value === undefined ? { ok: false, failure: failure('not a boolean', expected, describeText(text)) } : { ok: true, value, text: String(value) };
    },
  };
}

function enumReader(rule: ColumnRule): TypeReader {
  const values = rule.values ?? [];
  const insensitive = rule.caseInsensitive === true;
  const lookup = new Map(values.map((value) => [insensitive ? value.toLowerCase() : value, value]));
  const expected = `one of ${orList(values)}${insensitive ? ' (any case)' : ''}`;
  return {
    expected,
    read: (text) => {
      const value = lookup.get(insensitive ? text.toLowerCase() : text);
      return value === undefined ? { ok: false, failure: failure('not an allowed value', expected, `another value (${describeText(text)})`) } : { ok: true, value, text: value };
    },
  };
}

function lengthCheck(rule: ColumnRule): TypeReader['check'] {
  const maxLength = rule.maxLength;
  if (maxLength === undefined) return undefined;
  return ({ text }) => {
    const length = codePointLength(text);
    return length > maxLength ? failure('too long', `at most ${maxLength} character${maxLength === 1 ? '' : 's'}`, String(length)) : undefined;
  };
}

function typeReader(rule: ColumnRule): TypeReader {
  switch (rule.type) {
    case 'string':
      return { expected: 'text', read: (text) => ({ ok: true, text }), check: lengthCheck(rule) };
    case 'integer':
    case 'decimal':
      return numberReader(rule, rule.type);
    case 'boolean':
      return booleanReader(rule);
    case 'date':
    case 'datetime':
      return dateReader(rule, rule.type);
    case 'email':
      return { expected: EXPECTED_EMAIL, read: readEmail, check: lengthCheck(rule) };
    case 'phone': {
      const country = rule.country;
      return { expected: expectedPhone(country), read: (text) => readPhone(text, country) };
    }
    case 'enum':
      return enumReader(rule);
  }
}

/** A value that is not a scalar cannot be read as any column type. */
function isScalar(raw: unknown): raw is string | number | bigint | boolean {
  return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean';
}

export function compileColumn(name: string, rule: ColumnRule): ColumnCleaner {
  const reader = typeReader(rule);
  const cleaning: TextCleaning = { normalize: rule.normalize, trim: rule.trim, case: rule.case };
  const pattern = rule.pattern === undefined ? undefined : compilePattern(rule.pattern);
  const missing = (found: string): ColumnReading => ({ ok: false, failures: [failure('missing', 'a value (the column is required)', found)] });

  function readText(text: string): ColumnReading {
    // Arrays only for failures: a clean cell allocates its reading and nothing else here.
    const mismatch = pattern && !pattern.test(text) ? failure('does not match pattern', `text matching ${rule.pattern}`, describeText(text)) : undefined;
    const typed = reader.read(text);
    if (!typed.ok) return { ok: false, failures: mismatch ? [mismatch, typed.failure] : [typed.failure] };
    const failed = reader.check?.(typed);
    if (mismatch || failed) return { ok: false, failures: mismatch && failed ? [mismatch, failed] : [(mismatch ?? failed)!] };
    return { ok: true, value: typed.value === undefined ? typed.text : typed.value, text: typed.text };
  }

  function readRaw(raw: unknown): ColumnReading | 'empty' {
    if (raw === undefined || raw === null) return 'empty';
    if (!isScalar(raw)) return { ok: false, failures: [failure(`not ${/^[aeiou]/.test(NOUNS[rule.type]) ? 'an' : 'a'} ${NOUNS[rule.type]}`, reader.expected, describeFound(raw))] };
    // JSON booleans are booleans; every other scalar is read from its text, as a CSV cell is.
    if (typeof raw === 'boolean' && rule.type === 'boolean') return { ok: true, value: raw, text: String(raw) };
    const cleaned = cleanText(typeof raw === 'string' ? raw : String(raw), cleaning);
    if (typeof cleaned !== 'string') return { ok: false, failures: [cleaned] };
    return cleaned === '' ? 'empty' : readText(cleaned);
  }

  // The default goes through the rule once, here; the spec has refused a default that fails it.
  let fallback: ColumnReading | undefined;
  if (rule.default !== undefined) {
    const reading = readRaw(rule.default);
    if (reading === 'empty' || !reading.ok) throw new Error(`column ${name}: its default does not pass its own rule`);
    fallback = reading;
  }

  function emptyFound(raw: unknown): string {
    if (typeof raw !== 'string') return describeFound(raw);
    return raw === '' ? 'an empty value' : 'only white space or control characters';
  }

  return {
    name,
    rule,
    clean(raw) {
      const reading = readRaw(raw);
      if (reading !== 'empty') return reading;
      if (fallback) return fallback;
      return rule.required ? missing(emptyFound(raw)) : { ok: true, value: null, text: null };
    },
  };
}

/** Why a rule's default fails it, as an expectation (`one of EUR, USD`); undefined when it passes. */
export function defaultProblem(rule: ColumnRule): string | undefined {
  try {
    compileColumn('default', rule);
    return undefined;
  } catch {
    const probe = compileColumn('probe', { ...rule, default: undefined, required: true });
    const reading = probe.clean(rule.default);
    if (reading.ok) return undefined;
    return reading.failures.map((failed) => failed.expected).join(' and ');
  }
}
