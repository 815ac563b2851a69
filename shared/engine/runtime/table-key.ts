import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { parseDecimal, formatDecimal } from '../../../events/dynamodb/dynamodb-number.ts';
import { SluiceError } from '../../contract/errors.ts';

/** A table's key attribute names, partition key first: what identifies an item. */
export type KeyNames = readonly string[];

// One DescribeTable per client and table: the key schema of a table never changes.
const described = new WeakMap<DynamoDBClient, Map<string, Promise<KeyNames>>>();

/** The key names of `table`, as DescribeTable reports them (asked once per client and table). */
export function tableKeyNames(client: DynamoDBClient, table: string): Promise<KeyNames> {
  let tables = described.get(client);
  if (!tables) described.set(client, (tables = new Map()));
  let names = tables.get(table);
  if (!names) {
    names = client.send(new DescribeTableCommand({ TableName: table })).then((answer) => {
      const schema = answer.Table?.KeySchema ?? [];
      const ordered = [...schema.filter((part) => part.KeyType === 'HASH'), ...schema.filter((part) => part.KeyType === 'RANGE')];
      const result = ordered.map((part) => part.AttributeName).filter((name): name is string => !!name);
      if (!result.length) throw new SluiceError('TABLE_KEY_UNKNOWN', `DescribeTable gave no key schema for table ${table}`);
      return result;
    });
    tables.set(table, names);
    // A failed lookup (the table not created yet, a dropped connection) is asked again next time.
    names.catch(() => tables.delete(table));
  }
  return names;
}

/** The key attributes of a marshalled item, or why it has none: the key names it lacks. */
export function keyOf(item: Record<string, AttributeValue>, names: KeyNames, table: string): Record<string, AttributeValue> {
  const key: Record<string, AttributeValue> = {};
  for (const [index, name] of names.entries()) {
    const value = item[name];
    if (!value) {
      throw new SluiceError('TABLE_KEY_MISSING', `no attribute "${name}", the ${index === 0 ? 'partition' : 'sort'} key of table ${table}`, { permanent: true });
    }
    key[name] = value;
  }
  return key;
}

/** One string per item key; numbers spelled as DynamoDB compares them (1.50 is 1.5). */
export function keyIdentity(key: Record<string, AttributeValue>, names: KeyNames): string {
  return JSON.stringify(
    names.map((name) => {
      const value = key[name];
      if (value?.N !== undefined) {
        const parsed = parseDecimal(value.N);
        return { N: parsed ? formatDecimal(parsed) : value.N };
      }
      if (value?.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
      return value;
    }),
  );
}
