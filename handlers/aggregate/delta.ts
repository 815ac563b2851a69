import type { Exact } from './exact-number.ts';
import { Decimal, canonical } from './exact-number.ts';
import type { AggregatePlan } from './plan.ts';
import type { ImageReading } from './read-image.ts';

/**
 * What one record changes in one group: records added (+1) or taken away (-1), the change of each
 * sum, and the change of each distinct value's multiplicity (what keeps min and max true when the
 * current minimum is removed). Plain JSON, exact decimals as strings, so it can be logged,
 * quarantined or replayed as it is.
 */
export interface Delta {
  count: number;
  sums: Record<string, string>;
  values: Record<string, Record<string, number>>;
}

/** What `reading` adds to its group (sign 1) or takes from it (sign -1). */
export function deltaOf(reading: ImageReading, sign: 1 | -1, plan: AggregatePlan): Delta {
  const delta: Delta = { count: sign, sums: {}, values: {} };
  for (const field of plan.sumFields) {
    const value = reading.numbers.get(field) as Exact;
    delta.sums[field] = canonical(sign === 1 ? value : value.times(-1));
  }
  for (const field of plan.extremeFields) {
    delta.values[field] = { [canonical(reading.numbers.get(field) as Exact)]: sign };
  }
  return delta;
}

/** `a` and `b` together, with nothing left that adds up to zero. */
export function addDeltas(a: Delta, b: Delta): Delta {
  const sum: Delta = { count: a.count + b.count, sums: {}, values: {} };
  for (const field of new Set([...Object.keys(a.sums), ...Object.keys(b.sums)])) {
    const total = new Decimal(a.sums[field] ?? '0').plus(b.sums[field] ?? '0');
    if (!total.eq(0)) sum.sums[field] = canonical(total);
  }
  for (const field of new Set([...Object.keys(a.values), ...Object.keys(b.values)])) {
    const merged: Record<string, number> = { ...a.values[field] };
    for (const [value, times] of Object.entries(b.values[field] ?? {})) {
      const total = (merged[value] ?? 0) + times;
      if (total === 0) delete merged[value];
      else merged[value] = total;
    }
    if (Object.keys(merged).length) sum.values[field] = merged;
  }
  return sum;
}

/** True when the record changes nothing in the group (an update that left its numbers as they were). */
export function isEmptyDelta(delta: Delta): boolean {
  return delta.count === 0 && Object.keys(delta.sums).length === 0 && Object.keys(delta.values).length === 0;
}
