import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TableWrite } from './test-file-spec.ts';

/**
 * Applies a case's table writes one at a time, in order, through the DynamoDB API (plain YAML
 * values marshalled by the document client), so each reaches the table's change stream, and the
 * pipelines it triggers, as any client's write does. Returns why a write failed, or undefined.
 */
export async function applyWrites(client: DynamoDBClient, writes: readonly TableWrite[]): Promise<string | undefined> {
  // Not destroyed after: it shares the runtime's client, which the runtime closes.
  const documents = DynamoDBDocumentClient.from(client);
  for (const [index, write] of writes.entries()) {
    try {
      if (write.put) await documents.send(new PutCommand({ TableName: write.table, Item: write.put }));
      else await documents.send(new DeleteCommand({ TableName: write.table, Key: write.delete }));
    } catch (error) {
      const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
      return `write[${index}] (${write.put ? 'put to' : 'delete from'} ${write.table}): could not be written: ${name}${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return undefined;
}
