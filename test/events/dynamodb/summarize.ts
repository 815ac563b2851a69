import { expect } from 'vitest';
import type { TableChange } from '../../../shared/contract/table-change.ts';
import { normalizeDynamoDBStreamEvent } from '../../../events/dynamodb/normalize.ts';
import { EventError } from '../../../shared/contract/errors.ts';

const names = (image?: Record<string, unknown>) => (image ? Object.keys(image).join(',') : '-');

/**
 * One line per change, to compare whole batches at a glance:
 * `eventName table sequenceNumber time keys new=<attributes> old=<attributes> viewType sizeBytes`
 * (`-` for an absent value).
 */
export function summarizeChange(change: TableChange): string {
  const time = change.approximateCreationTime?.toISOString() ?? '-';
  return `${change.eventName} ${change.table ?? '-'} ${change.sequenceNumber} ${time} ${JSON.stringify(change.keys)} new=${names(change.newImage)} old=${names(change.oldImage)} ${change.streamViewType ?? '-'} ${change.sizeBytes ?? '-'}`;
}

/** The message of the EventError normalizing `input` throws (failing the test if it does not, or throws something else). */
export function refusal(input: unknown): string {
  try {
    normalizeDynamoDBStreamEvent(input);
  } catch (error) {
    expect(error).toBeInstanceOf(EventError);
    expect((error as EventError).code).toBe('EVENT_INVALID');
    expect((error as EventError).permanent).toBe(true);
    return (error as EventError).message;
  }
  throw new Error('expected normalizeDynamoDBStreamEvent to throw');
}
