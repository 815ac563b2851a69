import type { StreamViewType, TableChange } from '../../../shared/contract/table-change.ts';
import type { ChangeItem, GroupUpdateItem, RowItem } from '../../../shared/contract/handler.ts';

/** Building stream changes and rows as a table-triggered pipeline's first step receives them. */

export const SHARD = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-05-01T00:00:00.000#shardId-00000001714550400000-abcdef01';

/** A 21-digit sequence number, as DynamoDB streams have: beyond what a JS number holds exactly. */
export const sequence = (n: number | bigint) => (100_000_000_000_000_000_000n + BigInt(n)).toString();

type Image = Record<string, unknown>;

export function insert(position: number, image: Image): ChangeItem {
  return changeItem('INSERT', position, { newImage: image });
}

export function modify(position: number, oldImage: Image | undefined, newImage: Image | undefined, streamViewType: StreamViewType = 'NEW_AND_OLD_IMAGES'): ChangeItem {
  return changeItem('MODIFY', position, { oldImage, newImage, streamViewType });
}

export function remove(position: number, oldImage: Image | undefined, streamViewType: StreamViewType = 'NEW_AND_OLD_IMAGES'): ChangeItem {
  return changeItem('REMOVE', position, { oldImage, streamViewType });
}

export function changeItem(
  eventName: TableChange['eventName'],
  position: number,
  parts: { oldImage?: Image | undefined; newImage?: Image | undefined; streamViewType?: StreamViewType },
  source = SHARD,
): ChangeItem {
  const image = parts.newImage ?? parts.oldImage ?? {};
  const change: TableChange = {
    eventName,
    eventID: `event-${position}`,
    table: 'orders',
    streamArn: source.split('#')[0],
    sequenceNumber: sequence(position),
    keys: { id: image.id },
    streamViewType: parts.streamViewType ?? 'NEW_AND_OLD_IMAGES',
  };
  if (parts.oldImage) change.oldImage = parts.oldImage;
  if (parts.newImage) change.newImage = parts.newImage;
  return { kind: 'change', change, origin: { source, position: sequence(position) } };
}

export function row(position: number, values: Image, source = 's3://uploads/orders.csv#etag1'): RowItem {
  return { kind: 'row', row: values, origin: { source, position: String(position) } };
}

/** The attributes with exact numbers spelled out, for comparing with plain literals. */
export function spelled(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, typeof value === 'object' && value !== null ? String(value) : value]));
}

/** Folds every contribution of `update` into `state` (a new item when undefined). */
export function foldAll(update: GroupUpdateItem, state?: unknown): { state: unknown; attributes: Record<string, unknown> } {
  const folded = update.fold(state, update.contributions);
  return { state: folded.state, attributes: spelled(folded.attributes) };
}

/** The configuration the tests share: revenue per currency and day, every metric. */
export const REVENUE_CONFIG = {
  groupBy: ['currency', { field: 'created_at', window: 'day' as const, as: 'day' }],
  metrics: [
    { op: 'count' as const, as: 'orders' },
    { op: 'sum' as const, field: 'amount', as: 'revenue' },
    { op: 'avg' as const, field: 'amount', as: 'avg_amount' },
    { op: 'min' as const, field: 'amount', as: 'min_amount' },
    { op: 'max' as const, field: 'amount', as: 'max_amount' },
  ],
};
