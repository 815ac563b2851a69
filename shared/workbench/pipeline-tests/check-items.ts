import { isHiddenAttribute } from '../local/table-items.ts';
import type { Resources } from '../../engine/pipeline/resources.ts';
import { keyAttributes, itemLabel, sameKey } from './table-keys.ts';
import { sameValue, showValue } from './compare-values.ts';
import type { ExpectedItem, TableWrite } from './test-file-spec.ts';

type Item = Record<string, unknown>;

export interface ItemsCheck {
  expected: readonly ExpectedItem[];
  /** Every item of each table concerned, as scanItems reads them. */
  tables: ReadonlyMap<string, readonly Item[]>;
  resources: Resources;
  /** With `onlyThese`: the tables that may hold no item but the listed ones. */
  onlyTheseTables?: readonly string[];
  /** The case's own writes: items it put are not the pipelines' doing, so `onlyThese` lets them be. */
  written?: readonly TableWrite[];
}

/**
 * How the tables differ from what the case expects, one message each: an expected item missing
 * (by its key), a listed attribute with another value, and with `onlyThese` an item no one listed.
 * Attributes not listed, and the `_sluice` bookkeeping, are not compared.
 */
export function checkItems(check: ItemsCheck): string[] {
  const problems: string[] = [];
  for (const expected of check.expected) {
    const declaration = check.resources.tables[expected.table];
    if (!declaration) continue; // refused when the test file was loaded
    const label = itemLabel(expected.table, expected.item, declaration);
    const found = check.tables.get(expected.table)?.find((item) => sameKey(expected.item, item, declaration));
    if (!found) {
      problems.push(`${label}: expected to exist, not found`);
      continue;
    }
    const keys = keyAttributes(declaration).map((key) => key.name);
    for (const [name, want] of Object.entries(expected.item)) {
      if (keys.includes(name) || isHiddenAttribute(name) || sameValue(want, found[name])) continue;
      problems.push(`${label}.${name}: expected ${showValue(want)}, found ${showValue(found[name], typeof want === 'number')}`);
    }
  }
  for (const table of [...new Set(check.onlyTheseTables ?? [])].sort()) {
    const declaration = check.resources.tables[table];
    if (!declaration) continue;
    const listed = [
      ...check.expected.filter((expected) => expected.table === table).map((expected) => expected.item),
      ...(check.written ?? []).flatMap((write) => (write.table === table && write.put ? [write.put] : [])),
    ];
    const extra = (check.tables.get(table) ?? []).filter((item) => !listed.some((other) => sameKey(other, item, declaration)));
    for (const label of extra.map((item) => itemLabel(table, item, declaration)).sort()) problems.push(`${label}: written, but not listed (onlyThese)`);
  }
  return problems;
}
