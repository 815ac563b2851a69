import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamViewType } from '../../contract/table-change.ts';
import { SluiceError } from '../../contract/errors.ts';
import type { DynaliteConnection } from './dynalite-connection.ts';
import type { KeySchema } from './key-schema.ts';
import { ServiceError } from './service-error.ts';

export interface TableDeclaration {
  partitionKey: { name: string; type: 'S' | 'N' | 'B' };
  sortKey?: { name: string; type: 'S' | 'N' | 'B' };
  stream?: StreamViewType;
}

export interface TableDescription {
  TableStatus?: string;
  KeySchema?: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  AttributeDefinitions?: { AttributeName: string; AttributeType: string }[];
}

export const keySchemaOf = (declaration: TableDeclaration): KeySchema => [declaration.partitionKey, ...(declaration.sortKey ? [declaration.sortKey] : [])];

/** The key schema of a table as DynamoDB describes it, partition key first. */
export function existingKeySchema(table: TableDescription): KeySchema {
  const typeOf = (name: string) => table.AttributeDefinitions?.find((definition) => definition.AttributeName === name)?.AttributeType as 'S' | 'N' | 'B';
  const ordered = [...(table.KeySchema ?? [])].sort((a, b) => (a.KeyType === 'HASH' ? -1 : b.KeyType === 'HASH' ? 1 : 0));
  return ordered.map((element) => ({ name: element.AttributeName, type: typeOf(element.AttributeName) }));
}

function describeKey(schema: KeySchema): string {
  const [partition, sort] = schema;
  return `partition key ${partition?.name} (${partition?.type})${sort ? `, sort key ${sort.name} (${sort.type})` : ', no sort key'}`;
}

const sameSchema = (a: KeySchema, b: KeySchema) => a.length === b.length && a.every((attribute, index) => attribute.name === b[index]?.name && attribute.type === b[index]?.type);

async function describe(connection: DynaliteConnection, name: string): Promise<TableDescription | undefined> {
  try {
    return (await connection.call<{ Table: TableDescription }>('DescribeTable', { TableName: name })).Table;
  } catch (error) {
    if (error instanceof ServiceError && error.shortType === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function createTable(connection: DynaliteConnection, name: string, schema: KeySchema): Promise<void> {
  await connection.call('CreateTable', {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: schema.map((attribute, index) => ({ AttributeName: attribute.name, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
    AttributeDefinitions: schema.map((attribute) => ({ AttributeName: attribute.name, AttributeType: attribute.type })),
  });
  // dynalite answers CREATING and switches to ACTIVE on its next tick.
  for (let waited = 0; (await describe(connection, name))?.TableStatus !== 'ACTIVE'; waited += 5) {
    if (waited > 5000) throw new SluiceError('TABLE_NOT_ACTIVE', `table "${name}" did not become ACTIVE`);
    await sleep(5);
  }
}

/**
 * Creates the declared tables that do not exist yet (on demand billing, the declared key) and
 * checks that those that do have the declared key. Returns the tables it created.
 */
export async function ensureTables(connection: DynaliteConnection, tables: Record<string, TableDeclaration>, directory: string): Promise<Set<string>> {
  const created = new Set<string>();
  for (const [name, declaration] of Object.entries(tables)) {
    const declared = keySchemaOf(declaration);
    let existing: TableDescription | undefined;
    try {
      existing = await describe(connection, name);
      if (!existing) await createTable(connection, name, declared);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      throw new SluiceError('TABLE_CREATE_FAILED', `table "${name}": ${error.message}`, { cause: error, permanent: error.permanent });
    }
    if (!existing) {
      created.add(name);
      continue;
    }
    const actual = existingKeySchema(existing);
    if (!sameSchema(declared, actual)) {
      throw new SluiceError(
        'TABLE_KEY_MISMATCH',
        `table "${name}" is declared with ${describeKey(declared)}, but the table kept in ${directory} has ${describeKey(actual)}: declare the key it has, or remove ${directory} to start every table afresh (their items are lost)`,
        { permanent: true },
      );
    }
  }
  return created;
}
