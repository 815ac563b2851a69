import type { WireImage } from '../../../events/dynamodb/schema.ts';
import { sameItem } from './attribute-value.ts';
import type { DynaliteConnection } from './dynalite-connection.ts';
import { readItems } from './item-reads.ts';
import type { KeySchema } from './key-schema.ts';
import { keyIdentity, keyOfItem, validKey } from './key-schema.ts';
import type { StreamLog, WriteIntent } from './stream-log.ts';
import { changeEventName } from './item-change.ts';
import type { ItemChange } from './item-change.ts';
import type { TableLocks } from './table-locks.ts';

export interface CaptureContext {
  connection: DynaliteConnection;
  /** The tables with a stream, by name. */
  streams: ReadonlyMap<string, StreamLog>;
  locks: TableLocks;
}

/** The items a write touches in tables with a stream, keys deduplicated, by table. */
export type WriteTargets = Map<string, WireImage[]>;

const asRecord = (value: unknown): Record<string, unknown> | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

function addTarget(targets: WriteTargets, table: string, key: WireImage): void {
  const keys = targets.get(table) ?? [];
  if (!keys.some((known) => keyIdentity(known) === keyIdentity(key))) keys.push(key);
  targets.set(table, keys);
}

/**
 * The items that PutItem, UpdateItem, DeleteItem or BatchWriteItem touches in tables with a
 * stream. Undefined when a request names such a table with a malformed key: dynalite refuses the
 * whole request then, so there is nothing to capture.
 */
export function writeTargets(operation: string, input: unknown, streams: ReadonlyMap<string, StreamLog>): WriteTargets | undefined {
  const targets: WriteTargets = new Map();
  const body = asRecord(input);
  if (!body) return targets;
  const single = (table: unknown, key: (schema: KeySchema) => WireImage | undefined): boolean => {
    const stream = typeof table === 'string' ? streams.get(table) : undefined;
    if (!stream) return true;
    const found = key(stream.keySchema);
    if (found) addTarget(targets, stream.table, found);
    return found !== undefined;
  };
  switch (operation) {
    case 'PutItem':
      return single(body.TableName, (schema) => keyOfItem(body.Item, schema)) ? targets : undefined;
    case 'UpdateItem':
    case 'DeleteItem':
      return single(body.TableName, (schema) => validKey(body.Key, schema)) ? targets : undefined;
    case 'BatchWriteItem':
      for (const [table, requests] of Object.entries(asRecord(body.RequestItems) ?? {})) {
        for (const request of Array.isArray(requests) ? requests : []) {
          const put = asRecord(asRecord(request)?.PutRequest);
          const remove = asRecord(asRecord(request)?.DeleteRequest);
          if (!single(table, (schema) => (put ? keyOfItem(put.Item, schema) : validKey(remove?.Key, schema)))) return undefined;
        }
      }
      return targets;
    default:
      return targets;
  }
}

/** What changed between the images before and after a write (parallel to `keys`); an identical image is no change. */
export function diffImages(keys: readonly WireImage[], before: readonly (WireImage | null)[], after: readonly (WireImage | null)[], schema: KeySchema, at: number): ItemChange[] {
  const changes: ItemChange[] = [];
  keys.forEach((_, index) => {
    const oldImage = before[index] ?? undefined;
    const newImage = after[index] ?? undefined;
    const eventName = changeEventName(oldImage, newImage);
    if (!eventName || (oldImage && newImage && sameItem(oldImage, newImage))) return;
    // The keys as stored (dynalite writes numbers in canonical form), from whichever image exists.
    const keys = keyOfItem(newImage ?? oldImage, schema)!;
    changes.push({ eventName, keys, ...(oldImage ? { oldImage } : {}), ...(newImage ? { newImage } : {}), at });
  });
  return changes;
}

/** Settles a write whose outcome is unknown: what its items hold now, against what they held before, is what it did. */
export async function resolveIntent(connection: DynaliteConnection, log: StreamLog, intent: WriteIntent): Promise<void> {
  const now = await readItems(connection, log.table, intent.keys, log.keySchema);
  log.commit(intent, diffImages(intent.keys, intent.old, now, log.keySchema, intent.at));
}

/**
 * Makes a write with its stream records: under the tables' locks, reads the old images, logs the
 * intent, makes the write, reads the new images and logs the records of what changed. The
 * caller answers the client after this returns, so an acknowledged write always has its records.
 * `alsoLock`: more tables the write needs to itself (a transaction's), locked in the same go.
 */
export async function captureWrite<T>(context: CaptureContext, targets: WriteTargets, write: () => Promise<T>, alsoLock: readonly string[] = []): Promise<T> {
  const { connection, streams, locks } = context;
  return locks.withTables([...targets.keys(), ...alsoLock], async () => {
    const writes: { log: StreamLog; keys: WireImage[]; before: (WireImage | null)[]; intent?: WriteIntent }[] = [];
    for (const [table, keys] of targets) {
      const log = streams.get(table)!;
      for (const intent of log.pendingIntents()) await resolveIntent(connection, log, intent);
      writes.push({ log, keys, before: await readItems(connection, table, keys, log.keySchema) });
    }
    for (const entry of writes) entry.intent = entry.log.recordIntent(entry.keys, entry.before);
    try {
      return await write();
    } finally {
      const at = Date.now();
      for (const { log, keys, before, intent } of writes) {
        try {
          const after = await readItems(connection, log.table, keys, log.keySchema);
          log.commit(intent!, diffImages(keys, before, after, log.keySchema, at));
        } catch {
          // The intent stays pending: it is settled before this table's next write, or at the next start.
        }
      }
    }
  });
}
