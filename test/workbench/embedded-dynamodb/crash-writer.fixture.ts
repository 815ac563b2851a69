// Run by crash.test.ts as a child process: writes to a table with a stream from several
// concurrent loops and prints each write once it is acknowledged, until it is killed.
import { BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { startEmbeddedDynamoDB } from '../../../shared/workbench/embedded-dynamodb/server.ts';

const [dataDir] = process.argv.slice(2);
const db = await startEmbeddedDynamoDB({ dataDir: dataDir!, tables: { crash: { partitionKey: { name: 'id', type: 'S' }, stream: 'NEW_AND_OLD_IMAGES' } } });
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
print({ ready: true });

let counter = 0;
async function loop(worker: number): Promise<never> {
  // Each loop owns its keys, so it knows what each holds: a delete's old image is the last value written.
  const current = new Map<string, number>();
  for (let step = 0; ; step++) {
    const id = `w${worker}-k${step % 3}`;
    const w = ++counter;
    const kind = step % 7;
    if (kind === 3 && current.has(id)) {
      await db.client.send(new DeleteItemCommand({ TableName: 'crash', Key: { id: { S: id } } }));
      print({ op: 'delete', id, previous: current.get(id) });
      current.delete(id);
    } else if (kind === 5) {
      const other = `w${worker}-batch`;
      await db.client.send(new BatchWriteItemCommand({ RequestItems: { crash: [{ PutRequest: { Item: { id: { S: id }, w: { N: String(w) } } } }, { PutRequest: { Item: { id: { S: other }, w: { N: String(w) } } } }] } }));
      print({ op: 'put', id, w });
      print({ op: 'put', id: other, w });
      current.set(id, w);
    } else if (kind % 2 === 0) {
      await db.client.send(new UpdateItemCommand({ TableName: 'crash', Key: { id: { S: id } }, UpdateExpression: 'SET w = :w', ExpressionAttributeValues: { ':w': { N: String(w) } } }));
      print({ op: 'put', id, w });
      current.set(id, w);
    } else {
      await db.client.send(new PutItemCommand({ TableName: 'crash', Item: { id: { S: id }, w: { N: String(w) } } }));
      print({ op: 'put', id, w });
      current.set(id, w);
    }
  }
}

await Promise.all([0, 1, 2, 3].map(loop));
