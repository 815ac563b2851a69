import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatConfigIssue } from '../../../shared/contract/errors.ts';
import type { Project } from '../../../shared/workbench/project/load-project.ts';
import { loadProject } from '../../../shared/workbench/project/load-project.ts';
import { parseTestFile } from '../../../shared/workbench/pipeline-tests/load-test-file.ts';
import { repoRoot } from '../../support/paths.ts';

// A project with a stream-triggered pipeline: orders (key order_id) → revenue (key currency, day).
const projectDir = join(repoRoot, 'test', 'fixtures', 'pipelines', 'table-tests');

describe('test files with table writes and table expectations', () => {
  let project: Project;
  beforeAll(async () => {
    project = await loadProject(projectDir, undefined, projectDir);
  });

  const problems = async (text: string) => (await parseTestFile(text, 'revenue.test.yml', join(projectDir, 'revenue.test.yml'), project)).issues.map(formatConfigIssue);

  it('accepts writes, items and rejected records, and keeps them in order', async () => {
    const parsed = await parseTestFile(
      `pipeline: revenue
cases:
  - name: ok
    write:
      - { table: orders, put: { order_id: o1, currency: USD, created_at: '2026-11-29T10:00:00Z', amount: 10 } }
      - { table: orders, delete: { order_id: o1 } }
    expect:
      items: [{ table: revenue, item: { currency: USD, day: '2026-11-29', orders: 0 } }]
      rejected: [{ table: orders, keys: { order_id: o9 } }]
`,
      'revenue.test.yml',
      join(projectDir, 'revenue.test.yml'),
      project,
    );
    expect(parsed.issues).toEqual([]);
    const [only] = parsed.testFile!.cases;
    expect(only!.put).toEqual([]);
    expect(only!.write).toEqual([
      { table: 'orders', put: { order_id: 'o1', currency: 'USD', created_at: '2026-11-29T10:00:00Z', amount: 10 } },
      { table: 'orders', delete: { order_id: 'o1' } },
    ]);
    expect(only!.expect).toMatchObject({ objects: [], quarantined: [], onlyThese: false, rejected: [{ table: 'orders', keys: { order_id: 'o9' } }] });
  });

  it('refuses a case with neither uploads nor writes', async () => {
    expect(await problems('pipeline: revenue\ncases:\n  - name: idle\n    expect: {}\n  - name: empty\n    put: []\n    write: []\n    expect: {}\n')).toEqual([
      'revenue.test.yml:3:5: cases[0]: expected "put" (objects to upload) or "write" (items to write to tables), or both; found neither',
      'revenue.test.yml:5:5: cases[1]: expected "put" (objects to upload) or "write" (items to write to tables), or both; found neither',
    ]);
  });

  it('suggests the key meant for an unknown one', async () => {
    expect(
      await problems(`pipeline: revenue
cases:
  - name: typos
    write: [{ table: orders, putt: { order_id: o1 } }]
    expect: { itmes: [], rejected: [{ table: orders, key: { order_id: o1 } }] }
`),
    ).toEqual([
      'revenue.test.yml:4:13: cases[0].write[0]: expected "put" (an item to write) or "delete" (the key of an item to delete), found neither',
      'revenue.test.yml:4:30: cases[0].write[0].putt: unknown key "putt" (did you mean "put"?); expected one of table, put, delete',
      'revenue.test.yml:5:15: cases[0].expect.itmes: unknown key "itmes" (did you mean "items"?); expected one of objects, quarantined, items, rejected, onlyThese',
      'revenue.test.yml:5:37: cases[0].expect.rejected[0].keys: missing; expected a mapping',
      'revenue.test.yml:5:54: cases[0].expect.rejected[0].key: unknown key "key" (did you mean "keys"?); expected one of table, keys, field',
    ]);
  });

  it('refuses a write with both put and delete', async () => {
    expect(await problems('pipeline: revenue\ncases:\n  - name: both\n    write: [{ table: orders, put: { order_id: a }, delete: { order_id: a } }]\n    expect: {}\n')).toEqual([
      'revenue.test.yml:4:13: cases[0].write[0]: expected "put" or "delete", found both: make them two writes',
    ]);
  });

  it('refuses undeclared tables, with the one message for them', async () => {
    expect(
      await problems(`pipeline: revenue
cases:
  - name: undeclared
    write:
      - { table: order, put: { order_id: o1 } }
      - { table: ordres, delete: { order_id: o1 } }
    expect:
      items: [{ table: revenu, item: { currency: USD, day: '2026-11-29' } }]
      rejected: [{ table: orderz, keys: { order_id: o1 } }]
`),
    ).toEqual([
      'revenue.test.yml:5:18: cases[0].write[0].table: table "order" is not declared in resources.yml (did you mean "orders"?); declared: orders, revenue',
      'revenue.test.yml:6:18: cases[0].write[1].table: table "ordres" is not declared in resources.yml (did you mean "orders"?); declared: orders, revenue',
      'revenue.test.yml:8:24: cases[0].expect.items[0].table: table "revenu" is not declared in resources.yml (did you mean "revenue"?); declared: orders, revenue',
      'revenue.test.yml:9:27: cases[0].expect.rejected[0].table: table "orderz" is not declared in resources.yml (did you mean "orders"?); declared: orders, revenue',
    ]);
  });

  it("refuses items without their table's key, and deletes or rejected keys with more than the key", async () => {
    expect(
      await problems(`pipeline: revenue
cases:
  - name: keys
    write:
      - { table: orders, put: { id: o1, amount: 10 } }
      - { table: orders, put: { order_id: 7 } }
      - { table: orders, put: { order_id: '' } }
      - { table: orders, delete: { order_id: o1, amount: 10 } }
      - { table: orders, delete: { orderid: o1 } }
    expect:
      items:
        - { table: revenue, item: { currency: USD, orders: 1 } }
        - { table: revenue, item: { currency: USD, day: '2026-11-29', _sluice: { version: 1 } } }
      rejected:
        - { table: orders, keys: { order_id: o9, currency: USD } }
`),
    ).toEqual([
      'revenue.test.yml:5:31: cases[0].write[0].put.order_id: missing; expected a non-empty string (the partition key of table orders)',
      'revenue.test.yml:6:43: cases[0].write[1].put.order_id: expected a non-empty string (the partition key of table orders), found 7 (number)',
      'revenue.test.yml:7:43: cases[0].write[2].put.order_id: expected a non-empty string (the partition key of table orders), found "" (string)',
      'revenue.test.yml:8:50: cases[0].write[3].delete.amount: unknown key "amount" (did you mean "order_id"?); expected only the key of table orders: order_id',
      'revenue.test.yml:9:34: cases[0].write[4].delete.order_id: missing; expected a non-empty string (the partition key of table orders)',
      'revenue.test.yml:9:36: cases[0].write[4].delete.orderid: unknown key "orderid" (did you mean "order_id"?); expected only the key of table orders: order_id',
      'revenue.test.yml:12:35: cases[0].expect.items[0].item.day: missing; expected a non-empty string (the sort key of table revenue)',
      'revenue.test.yml:13:71: cases[0].expect.items[1].item._sluice: "_sluice" is Sluice\'s own bookkeeping (attributes starting with "_sluice"), never compared: leave it out',
      'revenue.test.yml:15:50: cases[0].expect.rejected[0].keys.currency: unknown key "currency" (did you mean "order_id"?); expected only the key of table orders: order_id',
    ]);
  });

  it('refuses numbers the document client cannot write exactly, where they are', async () => {
    expect(await problems("pipeline: revenue\ncases:\n  - name: big\n    write:\n      - { table: orders, put: { order_id: a, amount: 1e200, lines: [{ qty: .nan }] } }\n    expect: {}\n")).toEqual([
      'revenue.test.yml:5:54: cases[0].write[0].put.amount: expected a finite number from -9007199254740991 to 9007199254740991 (beyond, JavaScript holds numbers inexactly, and they are not written), found 1e+200 (number)',
      'revenue.test.yml:5:76: cases[0].write[0].put.lines[0].qty: expected a finite number from -9007199254740991 to 9007199254740991 (beyond, JavaScript holds numbers inexactly, and they are not written), found NaN (number)',
    ]);
  });

  it("refuses rejected records of a table that is not the pipeline's trigger", async () => {
    expect(await problems('pipeline: revenue\ncases:\n  - name: other\n    write: [{ table: orders, put: { order_id: a } }]\n    expect: { rejected: [{ table: revenue, keys: { currency: USD, day: x } }] }\n')).toEqual([
      'revenue.test.yml:5:35: cases[0].expect.rejected[0].table: pipeline revenue is triggered by table orders: it rejects records of that table only, not of revenue',
    ]);
  });
});
