import type { ChangeEventName } from '../../contract/table-change.ts';
import type { WireImage } from '../../../events/dynamodb/schema.ts';

/** One item changed by one write: what a stream record is made of (events/dynamodb/generate.ts builds it). */
export interface ItemChange {
  eventName: ChangeEventName;
  keys: WireImage;
  oldImage?: WireImage;
  newImage?: WireImage;
  /** When the write was made, in milliseconds. */
  at: number;
}

/** What the change of an item from `oldImage` to `newImage` (either absent) is, or undefined when nothing changed. */
export function changeEventName(oldImage: WireImage | undefined, newImage: WireImage | undefined): ChangeEventName | undefined {
  if (!oldImage) return newImage ? 'INSERT' : undefined;
  return newImage ? 'MODIFY' : 'REMOVE';
}
