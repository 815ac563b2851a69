import { closest } from 'fastest-levenshtein';
import type { DescribedIssue } from '../../contract/describe-issue.ts';
import { describeValue } from '../../contract/describe-issue.ts';
import type { TableResource } from '../../engine/pipeline/resources.ts';
import { sameDecimal } from './compare-values.ts';

type KeyAttribute = TableResource['partitionKey'];

/** The table's key attributes, partition key first. */
export function keyAttributes(declaration: TableResource): KeyAttribute[] {
  return [declaration.partitionKey, ...(declaration.sortKey ? [declaration.sortKey] : [])];
}

const TYPE_NAMES = { S: 'a non-empty string', N: 'a number', B: 'binary data' } as const;

function holdsType(value: unknown, type: KeyAttribute['type']): boolean {
  if (type === 'S') return typeof value === 'string' && value !== '';
  if (type === 'N') return typeof value === 'number' && Number.isFinite(value);
  return value instanceof Uint8Array;
}

/**
 * What is wrong with `item` as an item (or, with `exact`, as the key) of `table`: each key
 * attribute missing or of another type than declared, and with `exact` each attribute that is not
 * part of the key. Paths are relative to the item, to be placed with `YamlSource.locate`.
 */
export function keyIssues(item: Record<string, unknown>, table: string, declaration: TableResource, options: { exact?: boolean } = {}): DescribedIssue[] {
  const keys = keyAttributes(declaration);
  const issues: DescribedIssue[] = [];
  for (const [index, key] of keys.entries()) {
    const expected = `${TYPE_NAMES[key.type]} (the ${index === 0 ? 'partition' : 'sort'} key of table ${table})`;
    const value = item[key.name];
    if (value === undefined) issues.push({ path: [key.name], atKey: false, message: `missing; expected ${expected}` });
    else if (!holdsType(value, key.type)) issues.push({ path: [key.name], atKey: false, message: `expected ${expected}, found ${describeValue(value)}` });
  }
  if (options.exact) {
    const names = keys.map((key) => key.name);
    for (const name of Object.keys(item).filter((name) => !names.includes(name))) {
      issues.push({ path: [name], atKey: true, message: `unknown key "${name}" (did you mean "${closest(name, names)}"?); expected only the key of table ${table}: ${names.join(', ')}` });
    }
  }
  return issues;
}

function keyText(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return String(value);
}

/** How an item is named in messages: `revenue[currency=USD, day=2026-11-29]`. */
export function itemLabel(table: string, item: Record<string, unknown>, declaration: TableResource | undefined): string {
  const keys = declaration ? keyAttributes(declaration) : [];
  return `${table}[${keys.map((key) => `${key.name}=${keyText(item[key.name])}`).join(', ')}]`;
}

/** Whether two items have the same key: number keys by decimal value, however they were read back. */
export function sameKey(a: Record<string, unknown>, b: Record<string, unknown>, declaration: TableResource): boolean {
  return keyAttributes(declaration).every((key) => {
    const [left, right] = [a[key.name], b[key.name]];
    if (left === undefined || right === undefined) return false;
    return key.type === 'N' ? sameDecimal(left, right) : keyText(left) === keyText(right);
  });
}
