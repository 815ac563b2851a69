import type { z } from 'zod';
import { describeValue } from '../../../shared/contract/describe-issue.ts';
import type { ColumnType } from './column-options.ts';
import { DEFAULT_FALSE_VALUES, DEFAULT_TRUE_VALUES } from './column-options.ts';
import type { ColumnRule } from './column-spec.ts';
import { compilePattern, defaultProblem } from './column-rule.ts';
import { TOKEN_LIST, compileDateFormat, formatProblem } from './date-format.ts';
import { BOUND_FORMS, readDateBound } from './date-time.ts';
import { orList } from './failure.ts';
import { compareDecimal, readBound } from './numbers.ts';
import { isPhoneCountry } from './phone.ts';
import { isTimeZone } from './time-zone.ts';

/**
 * What a column rule's shape cannot say: which options go with which type, formats that parse,
 * bounds of the column's own type and in order, a default that passes the rule. Each problem is
 * reported at the option concerned.
 */

type Ctx = z.core.$RefinementCtx<ColumnRule>;

/** Reports one problem at an option's path. */
type Report = (path: (string | number)[], message: string) => void;

const DATES: readonly ColumnType[] = ['date', 'datetime'];

/** The types each type-specific option belongs to. */
const APPLIES: Partial<Record<keyof ColumnRule, readonly ColumnType[]>> = {
  formats: DATES,
  timezone: ['datetime'],
  country: ['phone'],
  values: ['enum'],
  caseInsensitive: ['enum'],
  trueValues: ['boolean'],
  falseValues: ['boolean'],
  min: ['integer', 'decimal', 'date', 'datetime'],
  max: ['integer', 'decimal', 'date', 'datetime'],
  maxLength: ['string', 'email'],
};

const listTypes = (types: readonly ColumnType[]) => `${orList([...types])} column${types.length > 1 ? 's' : ''}`;

function checkApplicable(rule: ColumnRule, report: Report): void {
  for (const [option, types] of Object.entries(APPLIES) as [keyof ColumnRule, readonly ColumnType[]][]) {
    if (rule[option] === undefined || types.includes(rule.type)) continue;
    report([option], `${option} applies to ${listTypes(types)}, not to this ${rule.type} column`);
  }
  if (rule.case !== 'none' && !['string', 'email', 'enum'].includes(rule.type)) {
    report(['case'], `case applies to string, email and enum columns, not to this ${rule.type} column`);
  }
}

function checkFormats(rule: ColumnRule, report: Report): void {
  if (!DATES.includes(rule.type)) return;
  const type = rule.type as 'date' | 'datetime';
  (rule.formats ?? []).forEach((source, index) => {
    const compiled = compileDateFormat(source);
    const problem = compiled.ok ? formatProblem(compiled.format, type) : `${compiled.message}; a format is made of ${TOKEN_LIST}`;
    if (problem) {
      report(['formats', index], `format ${JSON.stringify(source)} does not fit a ${type} column: ${problem}`);
      return;
    }
    if (type === 'datetime' && compiled.ok && !compiled.format.fields.includes('zone') && rule.timezone === undefined) {
      report(['formats', index], `format ${JSON.stringify(source)} has no zone (Z), so its times could be anywhere: set timezone (UTC, Europe/Paris, ...) to say where`);
    }
  });
  if (rule.timezone !== undefined && !isTimeZone(rule.timezone)) {
    report(['timezone'], `expected an IANA time zone (UTC, Europe/Paris, America/New_York), found ${describeValue(rule.timezone)}`);
  }
}

function checkBounds(rule: ColumnRule, report: Report): void {
  if (rule.type === 'integer' || rule.type === 'decimal') {
    const read = (option: 'min' | 'max') => {
      const value = rule[option];
      if (value === undefined) return undefined;
      const bound = readBound(value);
      if (!bound) report([option], `expected a number (or its digits as a string), found ${describeValue(value)}`);
      return bound;
    };
    const min = read('min');
    const max = read('max');
    if (min && max && compareDecimal(min.parsed, max.parsed) > 0) report(['max'], `expected a number >= min (${min.text}), found ${max.text}`);
    return;
  }
  if (rule.type === 'date' || rule.type === 'datetime') {
    const type = rule.type;
    const read = (option: 'min' | 'max') => {
      const value = rule[option];
      if (value === undefined) return undefined;
      const bound = typeof value === 'string' ? readDateBound(value, type) : undefined;
      if (!bound) report([option], `expected ${BOUND_FORMS[type]}, found ${describeValue(value)}`);
      return bound;
    };
    const min = read('min');
    const max = read('max');
    if (min && max && min.key > max.key) report(['max'], `expected a ${type === 'date' ? 'date' : 'date-time'} at or after min (${min.text}), found ${max.text}`);
  }
}

function checkLists(rule: ColumnRule, report: Report): void {
  if (rule.type === 'enum' && rule.values === undefined) {
    report(['values'], 'missing; an enum column needs the list of its allowed values');
  }
  const insensitive = rule.caseInsensitive === true;
  const seen = new Map<string, number>();
  rule.values?.forEach((value, index) => {
    const key = insensitive ? value.toLowerCase() : value;
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, index);
    else report(['values', index], `${JSON.stringify(value)} is already listed as values[${earlier}]${insensitive ? ' (ignoring case)' : ''}`);
  });
  if (rule.type === 'boolean') {
    const truths = new Set((rule.trueValues ?? DEFAULT_TRUE_VALUES).map((value) => value.toLowerCase()));
    (rule.falseValues ?? DEFAULT_FALSE_VALUES).forEach((value, index) => {
      if (truths.has(value.toLowerCase())) report(['falseValues', index], `${JSON.stringify(value)} is also one of trueValues (ignoring case); a value cannot be both`);
    });
  }
}

function checkPattern(rule: ColumnRule, report: Report): void {
  if (rule.pattern === undefined) return;
  try {
    compilePattern(rule.pattern);
  } catch (error) {
    report(['pattern'], `expected a regular expression (JavaScript, Unicode mode), found ${describeValue(rule.pattern)}: ${(error as Error).message}`);
  }
}

function checkDefault(rule: ColumnRule, report: Report): void {
  if (rule.default === undefined) return;
  if (rule.required) {
    report(['default'], 'a required column never uses a default (an empty value is rejected): remove required or default');
    return;
  }
  const problem = defaultProblem(rule);
  if (problem) report(['default'], `expected ${problem} (the column's own rule), found ${describeValue(rule.default)}`);
}

export function checkColumnRule(rule: ColumnRule, ctx: Ctx): void {
  let problems = 0;
  const report: Report = (path, message) => {
    problems++;
    ctx.addIssue({ code: 'custom', path, message });
  };
  checkApplicable(rule, report);
  checkLists(rule, report);
  if (rule.type === 'phone' && rule.country !== undefined && !isPhoneCountry(rule.country)) {
    report(['country'], `expected a country code (ISO 3166-1 alpha-2, upper case: US, GB, FR), found ${describeValue(rule.country)}`);
  }
  checkFormats(rule, report);
  checkBounds(rule, report);
  checkPattern(rule, report);
  // The default is read with the whole rule, which needs everything above to be right.
  if (problems === 0) checkDefault(rule, report);
}
