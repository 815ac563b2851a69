import { setTimeout as sleep } from 'node:timers/promises';
import type { AttributeValue, DynamoDBClient, PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import PQueue from 'p-queue';
import { SluiceError } from '../../contract/errors.ts';
import type { Contribution, GroupUpdateItem } from '../../contract/handler.ts';
import { BOOKKEEPING_ATTRIBUTE, freshContributions, readBookkeeping, recordApplied } from './applied-positions.ts';
import type { Bookkeeping } from './applied-positions.ts';
import { marshallItem } from './exact-values.ts';
import { MAX_ITEM_BYTES, itemSize, largestAttributes } from './item-size.ts';
import { keyIdentity, keyOf, tableKeyNames } from './table-key.ts';
import type { KeyNames } from './table-key.ts';

export { writeRows } from './write-rows.ts';
export type { RowWriteFailure, WriteRowsOptions, WriteRowsResult } from './write-rows.ts';

/**
 * The table output of a pipeline, for group updates (aggregates): each group's item is read once
 * (consistently) and written once per batch with a conditional put on its version, so concurrent
 * writers never lose each other's updates, and only contributions the item has not applied before
 * (by origin: source and position) are folded in, so a redelivered batch changes nothing twice.
 */

export interface GroupUpdateOptions {
  /** The table's key attribute names, partition key first. Default: asked once with DescribeTable. */
  key?: KeyNames;
  /** Groups written at the same time. Default 8. */
  concurrency?: number;
  /** Writes tried per group when other writers keep winning the race, before it fails. Default 10. */
  maxAttempts?: number;
  /** The clock for the applied positions' ages (epoch milliseconds). */
  now?: () => number;
}

export interface GroupUpdateFailure {
  update: GroupUpdateItem;
  error: unknown;
}

/** What became of each update, so the caller can report the failed ones' records for redelivery. */
export interface GroupUpdatesResult {
  /** Written, with at least one contribution not applied before. */
  applied: GroupUpdateItem[];
  /** Nothing fresh: every contribution had been applied by an earlier delivery. */
  skipped: GroupUpdateItem[];
  failed: GroupUpdateFailure[];
}

const DEFAULT_CONCURRENCY = 8;
const DEFAULT_MAX_ATTEMPTS = 10;

function describeKey(key: Record<string, AttributeValue>): string {
  return Object.entries(key)
    .map(([name, value]) => `${name}=${value.S !== undefined ? JSON.stringify(value.S) : (value.N ?? '(binary)')}`)
    .join(', ');
}

interface UpdateContext {
  client: DynamoDBClient;
  table: string;
  names: KeyNames;
  maxAttempts: number;
  now: () => number;
}

/** One read of the group's bookkeeping; the rest of the item is rewritten whole from the fold. */
async function readGroup(ctx: UpdateContext, key: Record<string, AttributeValue>, where: string): Promise<Bookkeeping> {
  const answer = await ctx.client.send(
    new GetItemCommand({
      TableName: ctx.table,
      Key: key,
      ConsistentRead: true,
      ProjectionExpression: '#b',
      ExpressionAttributeNames: { '#b': BOOKKEEPING_ATTRIBUTE },
    }),
  );
  const raw = answer.Item?.[BOOKKEEPING_ATTRIBUTE];
  return readBookkeeping(raw === undefined ? undefined : unmarshall({ raw }).raw, where);
}

function parseState(book: Bookkeeping, where: string): unknown {
  if (book.state === undefined) return undefined;
  try {
    return JSON.parse(book.state) as unknown;
  } catch (error) {
    throw new SluiceError('BOOKKEEPING_INVALID', `the kept state of ${where} is not JSON`, { cause: error, permanent: true });
  }
}

async function applyUpdate(ctx: UpdateContext, update: GroupUpdateItem): Promise<'applied' | 'skipped'> {
  const key = keyOf(marshallItem(update.group), ctx.names, ctx.table);
  const where = `the item ${describeKey(key)} of table ${ctx.table}`;
  for (let attempt = 1; ; attempt++) {
    const book = await readGroup(ctx, key, where);
    const fresh = freshContributions(update.contributions, book.applied);
    if (!fresh.length) return 'skipped';
    const { state, attributes } = update.fold(parseState(book, where), fresh);
    const now = ctx.now();
    const bookkeeping: Bookkeeping = { version: book.version + 1, state: JSON.stringify(state), applied: recordApplied(book.applied, fresh, now) };
    // The key read is the key written, whatever the fold returns.
    const item = { ...marshallItem({ ...attributes, [BOOKKEEPING_ATTRIBUTE]: bookkeeping }), ...key };
    const bytes = itemSize(item);
    if (bytes > MAX_ITEM_BYTES) {
      const largest = largestAttributes(item)
        .map((part) => `${part.name} ${Math.ceil(part.bytes / 1024)} KB`)
        .join(', ');
      throw new SluiceError(
        'ITEM_TOO_LARGE',
        `${where} would be ${Math.ceil(bytes / 1024)} KB, over DynamoDB's 400 KB item limit (largest: ${largest}; ${BOOKKEEPING_ATTRIBUTE} holds the handler's state, e.g. aggregate's distinct values for min and max)`,
        { permanent: true },
      );
    }
    const condition: Pick<PutItemCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> =
      book.version === 0
        ? { ConditionExpression: 'attribute_not_exists(#b)', ExpressionAttributeNames: { '#b': BOOKKEEPING_ATTRIBUTE } }
        : { ConditionExpression: '#b.#v = :v', ExpressionAttributeNames: { '#b': BOOKKEEPING_ATTRIBUTE, '#v': 'version' }, ExpressionAttributeValues: { ':v': { N: String(book.version) } } };
    try {
      await ctx.client.send(new PutItemCommand({ TableName: ctx.table, Item: item, ...condition }));
      return 'applied';
    } catch (error) {
      // By name as well: a client from another copy of the SDK throws its own class.
      if (!(error instanceof ConditionalCheckFailedException) && (error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
      // Another writer changed the item since it was read: read it again and refold.
      if (attempt >= ctx.maxAttempts) {
        throw new SluiceError('GROUP_UPDATE_CONTENDED', `${where} kept changing under this write: ${attempt} attempts lost the race to other writers`, { cause: error });
      }
      await sleep(Math.random() * 10 * attempt);
    }
  }
}

/**
 * Several updates of one item in one call become one write. Written one by one, a failure of the
 * first after the second succeeded would leave the item's position past records it never applied,
 * and their redelivery would be taken for a repeat. Contributions are put in position order within
 * each source; the fold of the first update folds them all (they come from the same step).
 */
function mergeUpdates(updates: readonly GroupUpdateItem[]): GroupUpdateItem {
  const [first] = updates as [GroupUpdateItem, ...GroupUpdateItem[]];
  if (updates.length === 1) return first;
  const bySource = new Map<string, Contribution[]>();
  for (const contribution of updates.flatMap((update) => update.contributions)) {
    const list = bySource.get(contribution.origin.source);
    if (list) list.push(contribution);
    else bySource.set(contribution.origin.source, [contribution]);
  }
  const ordered = [...bySource.values()].flatMap((list) => list.sort((a, b) => comparePositions(a.origin.position, b.origin.position)));
  return { ...first, contributions: ordered };
}

function comparePositions(a: string, b: string): number {
  try {
    const difference = BigInt(a) - BigInt(b);
    return difference < 0n ? -1 : difference > 0n ? 1 : 0;
  } catch {
    // Not decimal: freshContributions refuses it with a reason.
    return 0;
  }
}

/**
 * Applies group updates exactly once in effect: per item one consistent read and one conditional
 * write (more only when another writer wins the race), items in parallel. Never throws for one
 * update: each is applied, skipped or failed, with its error.
 */
export async function applyGroupUpdates(client: DynamoDBClient, table: string, updates: readonly GroupUpdateItem[], options: GroupUpdateOptions = {}): Promise<GroupUpdatesResult> {
  const result: GroupUpdatesResult = { applied: [], skipped: [], failed: [] };
  if (!updates.length) return result;
  let names: KeyNames;
  try {
    names = options.key ?? (await tableKeyNames(client, table));
  } catch (error) {
    result.failed.push(...updates.map((update) => ({ update, error })));
    return result;
  }
  const ctx: UpdateContext = { client, table, names, maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, now: options.now ?? Date.now };

  const byItem = new Map<string, GroupUpdateItem[]>();
  for (const update of updates) {
    let identity: string;
    try {
      identity = keyIdentity(keyOf(marshallItem(update.group), names, table), names);
    } catch (error) {
      result.failed.push({ update, error });
      continue;
    }
    const queue = byItem.get(identity);
    if (queue) queue.push(update);
    else byItem.set(identity, [update]);
  }
  const pool = new PQueue({ concurrency: options.concurrency ?? DEFAULT_CONCURRENCY });
  await Promise.all(
    [...byItem.values()].map((group) =>
      pool.add(async () => {
        try {
          const outcome = await applyUpdate(ctx, mergeUpdates(group));
          result[outcome].push(...group);
        } catch (error) {
          result.failed.push(...group.map((update) => ({ update, error })));
        }
      }),
    ),
  );
  return result;
}
