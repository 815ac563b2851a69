import type { WireImage } from '../../../events/dynamodb/schema.ts';
import type { CaptureContext } from './change-capture.ts';
import { captureWrite } from './change-capture.ts';
import { existingKeySchema } from './declared-tables.ts';
import type { TableDescription } from './declared-tables.ts';
import { readItems } from './item-reads.ts';
import type { KeySchema } from './key-schema.ts';
import { keyIdentity, keyOfItem, validKey } from './key-schema.ts';
import { ServiceError, dynamodbError, validationError } from './service-error.ts';

const KINDS = ['ConditionCheck', 'Put', 'Delete', 'Update'] as const;
type Kind = (typeof KINDS)[number];

interface Operation {
  kind: Kind;
  table: string;
  schema: KeySchema;
  key: WireImage;
  params: Record<string, unknown>;
}

interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: WireImage;
}

const NONE: CancellationReason = { Code: 'None' };

async function parseOperations(context: CaptureContext, input: unknown): Promise<Operation[]> {
  const items = (input as { TransactItems?: unknown } | null)?.TransactItems;
  if (!Array.isArray(items) || items.length < 1 || items.length > 100) {
    throw validationError('1 validation error detected: Value at \'transactItems\' failed to satisfy constraint: Member must have length less than or equal to 100 and greater than or equal to 1');
  }
  const schemas = new Map<string, KeySchema>();
  const seen = new Set<string>();
  const operations: Operation[] = [];
  for (const item of items as Record<string, unknown>[]) {
    const kinds = KINDS.filter((kind) => item?.[kind] !== undefined);
    const params = item?.[kinds[0]!] as Record<string, unknown> | undefined;
    if (kinds.length !== 1 || typeof params?.TableName !== 'string') throw validationError('TransactItems can only contain one of Check, Put, Update or Delete, and each names its TableName');
    const table = params.TableName;
    if (!schemas.has(table)) {
      const { Table } = await context.connection.call<{ Table: TableDescription }>('DescribeTable', { TableName: table });
      schemas.set(table, existingKeySchema(Table));
    }
    const schema = schemas.get(table)!;
    const key = kinds[0] === 'Put' ? keyOfItem(params.Item, schema) : validKey(params.Key, schema);
    if (!key) throw validationError('The provided key element does not match the schema');
    const identity = `${table}\u0000${keyIdentity(key)}`;
    if (seen.has(identity)) throw validationError('Transaction request cannot include multiple operations on one item');
    seen.add(identity);
    operations.push({ kind: kinds[0]!, table, schema, key, params });
  }
  return operations;
}

// Only the names and values a condition uses: DynamoDB refuses unused ones.
function conditionOnly(params: Record<string, unknown>): Record<string, unknown> {
  const condition = params.ConditionExpression as string;
  const pick = (map: unknown, pattern: RegExp) => {
    const used = new Set(condition.match(pattern) ?? []);
    const kept = Object.entries((map ?? {}) as Record<string, unknown>).filter(([name]) => used.has(name));
    return kept.length ? Object.fromEntries(kept) : undefined;
  };
  const names = pick(params.ExpressionAttributeNames, /#[\w]+/g);
  const values = pick(params.ExpressionAttributeValues, /:[\w]+/g);
  return { ConditionExpression: condition, ...(names ? { ExpressionAttributeNames: names } : {}), ...(values ? { ExpressionAttributeValues: values } : {}) };
}

function failedCondition(operation: Operation, old: WireImage | null, error: unknown): CancellationReason {
  if (!(error instanceof ServiceError) || error.shortType !== 'ConditionalCheckFailedException') throw error;
  const withItem = operation.params.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old;
  return { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(withItem ? { Item: old } : {}) };
}

/** Checks an operation's condition without changing anything: the item written back as it is, or a missing one deleted. */
async function checkCondition(context: CaptureContext, operation: Operation, old: WireImage | null): Promise<CancellationReason> {
  if (typeof operation.params.ConditionExpression !== 'string') return NONE;
  const condition = conditionOnly(operation.params);
  try {
    if (old) await context.connection.call('PutItem', { TableName: operation.table, Item: old, ...condition });
    else await context.connection.call('DeleteItem', { TableName: operation.table, Key: operation.key, ...condition });
    return NONE;
  } catch (error) {
    return failedCondition(operation, old, error);
  }
}

async function apply(context: CaptureContext, operation: Operation, old: WireImage | null): Promise<CancellationReason> {
  if (operation.kind === 'ConditionCheck') return checkCondition(context, operation, old);
  const { ReturnValuesOnConditionCheckFailure: _returned, ...params } = operation.params;
  try {
    await context.connection.call(`${operation.kind}Item`, params);
    return NONE;
  } catch (error) {
    return failedCondition(operation, old, error);
  }
}

async function restore(context: CaptureContext, operation: Operation, old: WireImage | null): Promise<void> {
  if (old) await context.connection.call('PutItem', { TableName: operation.table, Item: old });
  else await context.connection.call('DeleteItem', { TableName: operation.table, Key: operation.key });
}

/**
 * TransactWriteItems, which dynalite lacks, made of single-item writes under the locks of every
 * table involved: each operation in turn; when a condition fails, the remaining conditions are
 * still checked (for the cancellation reasons) and what was applied is put back. All or nothing
 * for other clients of the tables with a stream (they wait on the locks), not against a crash
 * in the middle, nor against a concurrent writer of a table without one.
 */
export async function transactWriteItems(context: CaptureContext, input: unknown): Promise<Record<string, unknown>> {
  const operations = await parseOperations(context, input);
  const targets = new Map<string, WireImage[]>();
  for (const operation of operations) {
    if (operation.kind !== 'ConditionCheck' && context.streams.has(operation.table)) targets.set(operation.table, [...(targets.get(operation.table) ?? []), operation.key]);
  }
  const tables = operations.map((operation) => operation.table);
  return captureWrite(
    context,
    targets,
    async () => {
      const old = await Promise.all(operations.map(async (operation) => (await readItems(context.connection, operation.table, [operation.key], operation.schema))[0]!));
      const reasons: CancellationReason[] = [];
      const applied: number[] = [];
      try {
        for (const [index, operation] of operations.entries()) {
          const failed = reasons.some((reason) => reason.Code !== 'None');
          const reason = failed ? await checkCondition(context, operation, old[index]!) : await apply(context, operation, old[index]!);
          reasons.push(reason);
          if (!failed && reason.Code === 'None' && operation.kind !== 'ConditionCheck') applied.push(index);
        }
      } catch (error) {
        for (const index of applied.reverse()) await restore(context, operations[index]!, old[index]!);
        throw error;
      }
      if (reasons.every((reason) => reason.Code === 'None')) return {};
      for (const index of applied.reverse()) await restore(context, operations[index]!, old[index]!);
      throw dynamodbError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`, {
        CancellationReasons: reasons,
      });
    },
    tables,
  );
}
