import type { DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_WRITE_LIMIT, writeRows } from '../../../shared/engine/runtime/write-rows.ts';
import { createTable, startDynalite } from '../../support/dynalite-server.ts';
import type { TestDynamo } from '../../support/dynalite-server.ts';
import { injectFaults } from '../../support/faulty-client.ts';

let dynamo: TestDynamo;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  client = dynamo.newClient();
});
afterAll(() => dynamo?.close());

async function newTable(): Promise<string> {
  const table = `clean-orders-${++tables}`;
  await createTable(client, table, { name: 'id', type: 'S' });
  return table;
}

async function scan(table: string): Promise<Record<string, unknown>[]> {
  const answer = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return (answer.Items ?? [])
    .map((item) => unmarshall(item, { wrapNumbers: true }))
    .map((item) => Object.fromEntries(Object.entries(item).map(([name, value]) => [name, value instanceof NumberValue ? value.toString() : value])))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

const rows = (count: number, from = 0) => Array.from({ length: count }, (_, index) => ({ id: `r${String(from + index).padStart(3, '0')}`, amount: from + index }));

/**
 * A client whose BatchWriteItem calls DynamoDB leaves `withhold(call)` items of unprocessed, as
 * it does when throttled: they are not written, and come back in UnprocessedItems.
 */
function throttling(withhold: (call: number) => number): { client: DynamoDBClient; batchCalls: () => number } {
  const throttled = dynamo.newClient();
  let calls = 0;
  throttled.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next(args);
      const input = args.input as { RequestItems: Record<string, WriteRequest[]> };
      const [table, requests] = Object.entries(input.RequestItems)[0]!;
      const count = Math.min(withhold(++calls), requests.length);
      const kept = requests.slice(0, requests.length - count);
      const held = requests.slice(requests.length - count);
      const result = kept.length ? await next({ ...args, input: { ...input, RequestItems: { [table]: kept } } }) : { output: { $metadata: {} }, response: {} };
      (result.output as { UnprocessedItems?: Record<string, WriteRequest[]> }).UnprocessedItems = held.length ? { [table]: held } : {};
      return result;
    },
    { step: 'initialize', name: 'throttle' },
  );
  return { client: throttled, batchCalls: () => calls };
}

describe('writeRows', () => {
  it(`writes in chunks of ${BATCH_WRITE_LIMIT}, numbers exact`, async () => {
    const table = await newTable();
    const writer = dynamo.newClient();
    const calls = injectFaults(writer, () => undefined);
    const exact = [{ id: 'big', amount: NumberValue.from('12345678901234567890123456789012345678'), share: new Big('0.000000000000000000001') }];
    const result = await writeRows(writer, table, [...rows(59), ...exact]);
    expect(result).toEqual({ written: 60, failed: [] });
    expect(calls.filter((call) => call.command === 'BatchWriteItemCommand')).toHaveLength(3);
    const items = await scan(table);
    expect(items).toHaveLength(60);
    expect(items[0]).toEqual({ id: 'big', amount: '12345678901234567890123456789012345678', share: '0.000000000000000000001' });
  });

  it('retries unprocessed items with backoff until they are written', async () => {
    const table = await newTable();
    const { client: throttled, batchCalls } = throttling((call) => (call <= 3 ? 10 : 0));
    const result = await writeRows(throttled, table, rows(25), { baseDelayMs: 1 });
    expect(result).toEqual({ written: 25, failed: [] });
    expect(batchCalls()).toBe(4);
    expect(await scan(table)).toHaveLength(25);
  });

  it('fails, one by one, the rows still unprocessed after the last attempt, and writes the rest', async () => {
    const table = await newTable();
    const { client: throttled } = throttling(() => 2);
    const result = await writeRows(throttled, table, rows(5), { baseDelayMs: 1, maxAttempts: 3 });
    expect(result.written).toBe(3);
    expect(result.failed.map((failure) => failure.index)).toEqual([3, 4]);
    expect(result.failed[0]!.error).toMatchObject({ code: 'ROWS_UNPROCESSED', permanent: false });
    expect((await scan(table)).map((item) => item.id)).toEqual(['r000', 'r001', 'r002']);
  });

  it('fails only the bad rows: no key, too large, a value that cannot be stored, a key of the wrong type', async () => {
    const table = await newTable();
    const bad = [{ amount: 1 }, { id: 'huge', text: 'x'.repeat(410 * 1024) }, { id: 'date', at: new Date(0) }, { id: 7 }];
    const result = await writeRows(client, table, [...rows(3), ...bad, ...rows(2, 3)]);
    expect(result.written).toBe(5);
    expect(result.failed.map((failure) => [failure.index, (failure.error as Error).message])).toEqual([
      [3, `no attribute "id", the partition key of table ${table}`],
      [4, "row 4 would be an item of 411 KB, over DynamoDB's 400 KB limit"],
      [5, expect.stringMatching(/Unsupported type passed/)],
      [6, expect.stringMatching(/Type mismatch for key|expected type|mismatch/i)],
    ]);
    expect((await scan(table)).map((item) => item.id)).toEqual(['r000', 'r001', 'r002', 'r003', 'r004']);
  });

  it('writes rows with a repeated key in order, the last one winning', async () => {
    const table = await newTable();
    const result = await writeRows(client, table, [{ id: 'a', v: 1 }, { id: 'b', v: 1 }, { id: 'a', v: 2 }, { id: 'a', v: 3 }, { id: 'b', v: 2 }]);
    expect(result).toEqual({ written: 5, failed: [] });
    expect(await scan(table)).toEqual([
      { id: 'a', v: '3' },
      { id: 'b', v: '2' },
    ]);
  });

  it('fails every row, with the error, when the table cannot be described', async () => {
    const result = await writeRows(client, 'no-such-table', rows(2));
    expect(result.written).toBe(0);
    expect(result.failed.map((failure) => failure.index)).toEqual([0, 1]);
  });
});
