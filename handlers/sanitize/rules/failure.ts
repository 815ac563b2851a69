/**
 * Why one value fails its column's rule, in the one template Sluice uses for values:
 * `expected <what>, found <what was there>`. `found` describes the value by its shape only
 * (`text of 14 characters`, `a number`, `an empty value`) and never repeats it: a cell may hold
 * personal data even in a column nobody marked as such, and these messages travel to logs,
 * reports and the quarantine. The quarantined record beside the reasons shows the value itself
 * (with the PII rules applied), for whoever fixes the row.
 */
export interface RuleFailure {
  /** A short, stable phrase (`not a decimal`, `below minimum`) for counting rejections by reason. */
  short: string;
  expected: string;
  found: string;
}

export const failure = (short: string, expected: string, found: string): RuleFailure => ({ short, expected, found });

export const failureMessage = (failed: RuleFailure) => `expected ${failed.expected}, found ${failed.found}`;

/** `text of 14 characters`: counted in code points, as readers count them. */
export function describeText(text: string): string {
  let count = 0;
  for (const _ of text) count++;
  return `text of ${count} character${count === 1 ? '' : 's'}`;
}

/** What a raw value is, without the value: for `found ...` in messages. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty value' : describeText(value);
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

/** A value that reads as one of these or nothing at all: `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
