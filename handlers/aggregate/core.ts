import type { TableChange } from '../../shared/contract/table-change.ts';
import type { ChangeItem, Contribution, GroupUpdateItem, RejectReason, RejectedItem, RowItem } from '../../shared/contract/handler.ts';
import type { Delta } from './delta.ts';
import { addDeltas, deltaOf, isEmptyDelta } from './delta.ts';
import { createFold } from './fold.ts';
import type { AggregatePlan } from './plan.ts';
import { planAggregate } from './plan.ts';
import type { ImageResult } from './read-image.ts';
import { readImage } from './read-image.ts';
import type { AggregateConfig } from './spec.ts';

/** One record's change to one group. */
export interface GroupDelta {
  key: string;
  group: Record<string, unknown>;
  delta: Delta;
}

/** What one record does: its changes to groups, and why it is rejected, if it is. */
export interface RecordEffect {
  deltas: GroupDelta[];
  reasons: RejectReason[];
}

// Which images each event needs, and the stream view types that carry them.
const NEEDS = {
  INSERT: { old: false, new: true, views: 'NEW_AND_OLD_IMAGES or NEW_IMAGE' },
  MODIFY: { old: true, new: true, views: 'NEW_AND_OLD_IMAGES' },
  REMOVE: { old: true, new: false, views: 'NEW_AND_OLD_IMAGES or OLD_IMAGE' },
} as const;

function missingImages(change: TableChange): RejectReason | undefined {
  const needs = NEEDS[change.eventName];
  const lacks = [needs.old && !change.oldImage ? 'old' : undefined, needs.new && !change.newImage ? 'new' : undefined].filter(Boolean);
  if (!lacks.length) return undefined;
  const images = lacks.length === 2 ? 'old and new images' : `${lacks[0]} image`;
  const view = change.streamViewType ? ` (this record's is ${change.streamViewType})` : '';
  const why = needs.old ? 'aggregate subtracts what a record was from its group' : 'aggregate adds what a record is to its group';
  return { message: `${change.eventName === 'INSERT' ? 'an' : 'a'} ${change.eventName} record without its ${images} cannot be aggregated: ${why}, so the table's stream must be ${needs.views}${view}` };
}

/**
 * What moving a record from `before` to `after` (either may be absent: an insert, a removal)
 * changes in the groups. Only versions that were valid ever counted: an invalid old version is not
 * subtracted, and an invalid new one is rejected (after its valid old version is subtracted), so
 * a group always sums up exactly the valid versions of the records it holds.
 */
export function effectOf(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, plan: AggregatePlan): RecordEffect {
  const old: ImageResult | undefined = before && readImage(before, plan);
  const next: ImageResult | undefined = after && readImage(after, plan);
  const reasons = next && !next.ok ? next.reasons : [];
  const removed = old?.ok ? old.reading : undefined;
  const added = next?.ok ? next.reading : undefined;
  if (removed && added && removed.key === added.key) {
    const delta = addDeltas(deltaOf(added, 1, plan), deltaOf(removed, -1, plan));
    return { deltas: isEmptyDelta(delta) ? [] : [{ key: added.key, group: added.group, delta }], reasons };
  }
  const deltas: GroupDelta[] = [];
  if (removed) deltas.push({ key: removed.key, group: removed.group, delta: deltaOf(removed, -1, plan) });
  if (added) deltas.push({ key: added.key, group: added.group, delta: deltaOf(added, 1, plan) });
  return { deltas, reasons };
}

/** A stream record's effect: INSERT adds the new image, MODIFY subtracts the old and adds the new, REMOVE subtracts the old. */
export function changeEffect(change: TableChange, plan: AggregatePlan): RecordEffect {
  const missing = missingImages(change);
  if (missing) return { deltas: [], reasons: [missing] };
  const before = change.eventName === 'INSERT' ? undefined : change.oldImage;
  const after = change.eventName === 'REMOVE' ? undefined : change.newImage;
  return effectOf(before, after, plan);
}

/**
 * Coalesces one batch: every record's contributions, gathered into one update per group (in the
 * order groups first appear, contributions in delivery order), so the table output writes each
 * group once per batch however many records touch it.
 */
export class BatchAggregator {
  private readonly groups = new Map<string, { group: Record<string, unknown>; contributions: Contribution[] }>();
  private readonly plan: AggregatePlan;

  constructor(plan: AggregatePlan) {
    this.plan = plan;
  }

  /** Takes one item in; returns it as rejected when it cannot be (wholly) aggregated. */
  add(item: ChangeItem | RowItem): RejectedItem | undefined {
    const effect = item.kind === 'change' ? changeEffect(item.change, this.plan) : effectOf(undefined, item.row, this.plan);
    for (const { key, group, delta } of effect.deltas) {
      let entry = this.groups.get(key);
      if (!entry) this.groups.set(key, (entry = { group, contributions: [] }));
      entry.contributions.push({ origin: item.origin, delta });
    }
    if (!effect.reasons.length) return undefined;
    return { kind: 'rejected', origin: item.origin, reasons: effect.reasons, record: item.kind === 'change' ? item.change : item.row };
  }

  get groupCount(): number {
    return this.groups.size;
  }

  updates(): GroupUpdateItem[] {
    return [...this.groups.values()].map(({ group, contributions }) => ({
      kind: 'group-update',
      group,
      contributions,
      fold: createFold(this.plan, group),
    }));
  }
}

/** The whole batch at once: the group updates and the rejected records. */
export function aggregateBatch(items: Iterable<ChangeItem | RowItem>, config: AggregateConfig): { updates: GroupUpdateItem[]; rejected: RejectedItem[] } {
  const aggregator = new BatchAggregator(planAggregate(config));
  const rejected: RejectedItem[] = [];
  for (const item of items) {
    const refused = aggregator.add(item);
    if (refused) rejected.push(refused);
  }
  return { updates: aggregator.updates(), rejected };
}
