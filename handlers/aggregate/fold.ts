import { InputError, SluiceError } from '../../shared/contract/errors.ts';
import type { Contribution, GroupUpdateItem } from '../../shared/contract/handler.ts';
import type { Delta } from './delta.ts';
import type { Exact } from './exact-number.ts';
import { Decimal, MAX_SIGNIFICANT_DIGITS, canonical, checkStorable } from './exact-number.ts';
import type { AggregatePlan } from './plan.ts';

/**
 * A group's state, kept by the table output beside the attributes users read: how many records the
 * group holds, the exact sum of each summed field, and how many records hold each distinct value
 * of each min/max field. It is the sum of every delta applied, so a delta folds in exactly like a
 * record would, in any order.
 */
export interface GroupState {
  count: number;
  sums: Record<string, string>;
  values: Record<string, Record<string, number>>;
}

const emptyState = (): GroupState => ({ count: 0, sums: {}, values: {} });

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function describeGroup(group: Record<string, unknown>): string {
  return Object.entries(group)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}

/** The state as kept, checked: it comes back from the table, which anyone may have written to. */
function readState(state: unknown, plan: AggregatePlan, group: Record<string, unknown>): GroupState {
  if (state === undefined) return emptyState();
  const valid =
    isRecord(state) &&
    Number.isSafeInteger(state.count) &&
    isRecord(state.sums) &&
    Object.values(state.sums).every((sum) => typeof sum === 'string') &&
    isRecord(state.values) &&
    Object.values(state.values).every((values) => isRecord(values) && Object.values(values).every((times) => Number.isSafeInteger(times)));
  if (!valid) throw new SluiceError('AGGREGATE_STATE_INVALID', `the kept state of group ${describeGroup(group)} is not an aggregate's state; was the item written by something else?`, { permanent: true });
  const kept = state as unknown as GroupState;
  // A record counted in a group holds every field the metrics read; a group with records but no
  // sum or values for a field was built by a configuration that did not read it.
  const unread = [...plan.sumFields.filter((field) => !(field in kept.sums) && kept.count !== 0), ...plan.extremeFields.filter((field) => !(field in kept.values) && kept.count !== 0)];
  if (unread.length) {
    throw new SluiceError(
      'AGGREGATE_CONFIG_CHANGED',
      `group ${describeGroup(group)} was aggregated by a configuration that did not read ${unread.join(', ')}, so its records cannot be summed up again from what the item keeps; aggregate into a new table, or delete the table's items and replay the stream from TRIM_HORIZON`,
      { permanent: true },
    );
  }
  return { count: kept.count, sums: { ...kept.sums }, values: { ...kept.values } };
}

/**
 * `state` with `deltas` applied; sums stay exact, values held by no record are dropped. Every field
 * the plan reads keeps an entry, even a zero sum, so a change of configuration can be told apart.
 */
export function foldDeltas(state: GroupState, deltas: readonly Delta[], plan: AggregatePlan): GroupState {
  // Worked on in place, on copies: a group may hold many distinct values, and a batch many deltas.
  let count = state.count;
  const sums = new Map(Object.entries(state.sums).map(([field, sum]): [string, Exact] => [field, new Decimal(sum)]));
  const values = new Map(Object.entries(state.values).map(([field, held]) => [field, new Map(Object.entries(held))]));
  for (const delta of deltas) {
    count += delta.count;
    for (const [field, change] of Object.entries(delta.sums)) sums.set(field, (sums.get(field) ?? new Decimal(0)).plus(change));
    for (const [field, changes] of Object.entries(delta.values)) {
      let held = values.get(field);
      if (!held) values.set(field, (held = new Map()));
      for (const [value, times] of Object.entries(changes)) {
        const total = (held.get(value) ?? 0) + times;
        if (total === 0) held.delete(value);
        else held.set(value, total);
      }
    }
  }
  const folded: GroupState = { count, sums: {}, values: {} };
  for (const field of plan.sumFields) folded.sums[field] = canonical(sums.get(field) ?? new Decimal(0));
  for (const field of plan.extremeFields) folded.values[field] = Object.fromEntries(values.get(field) ?? []);
  return folded;
}

function extreme(values: Record<string, number> | undefined, pick: 'min' | 'max'): Exact | undefined {
  let best: Exact | undefined;
  for (const [value, times] of Object.entries(values ?? {})) {
    // A negative multiplicity means more removals than additions were seen (records written before
    // the stream was read): such a value is held by no record.
    if (times <= 0) continue;
    const candidate = new Decimal(value);
    if (best === undefined || (pick === 'min' ? candidate.lt(best) : candidate.gt(best))) best = candidate;
  }
  return best;
}

function storable(value: Exact, what: string, group: Record<string, unknown>): Exact {
  const problem = checkStorable(value);
  if (problem) throw new InputError('AGGREGATE_NUMBER_TOO_LARGE', `the ${what} of group ${describeGroup(group)} cannot be stored: DynamoDB takes ${problem}`);
  return value;
}

/** The attributes users read: the group fields, then each metric; an avg, min or max of no record is left out. */
export function attributesOf(state: GroupState, group: Record<string, unknown>, plan: AggregatePlan): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const part of plan.groupBy) attributes[part.as] = group[part.as];
  for (const metric of plan.metrics) {
    const field = metric.field as string;
    switch (metric.op) {
      case 'count':
        attributes[metric.as] = state.count;
        break;
      case 'sum':
        attributes[metric.as] = storable(new Decimal(state.sums[field] ?? '0'), `sum of ${field}`, group);
        break;
      case 'avg':
        if (state.count > 0) {
          const mean = new Decimal(state.sums[field] ?? '0').div(state.count).prec(MAX_SIGNIFICANT_DIGITS);
          attributes[metric.as] = storable(mean, `average of ${field}`, group);
        }
        break;
      case 'min':
      case 'max': {
        const value = extreme(state.values[field], metric.op);
        if (value !== undefined) attributes[metric.as] = value;
        break;
      }
    }
  }
  return attributes;
}

/** The group update's fold: pure, the same for every delivery of the same contributions. */
export function createFold(plan: AggregatePlan, group: Record<string, unknown>): GroupUpdateItem['fold'] {
  return (state, fresh: readonly Contribution[]) => {
    const next = foldDeltas(readState(state, plan, group), fresh.map((contribution) => contribution.delta as Delta), plan);
    return { state: next, attributes: attributesOf(next, group, plan) };
  };
}
