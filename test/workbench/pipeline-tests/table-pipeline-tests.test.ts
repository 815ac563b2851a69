import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPipelineTests } from '../../../shared/workbench/pipeline-tests/run-pipeline-tests.ts';
import { repoRoot } from '../../support/paths.ts';

// orders (its stream) → revenue.yml (aggregate: count, sum and max of amount per currency and day) → revenue.
const fixture = join(repoRoot, 'test', 'fixtures', 'pipelines', 'table-tests');

describe('pipeline tests over a table stream, end to end', () => {
  it('the fixture cases pass: puts, an update (MODIFY), a delete, and a rejected record', async () => {
    const result = await runPipelineTests(fixture);
    expect(result.cases.map((c) => [c.name, c.failures])).toEqual([
      ['orders placed, changed and cancelled leave one total per currency and day', []],
      ['an order without an amount is rejected, the others are counted', []],
    ]);
  }, 60_000);

  describe('a failing case', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'sluice-table-tests-'));
      await copyFile(join(fixture, 'resources.yml'), join(dir, 'resources.yml'));
      await copyFile(join(fixture, 'revenue.yml'), join(dir, 'revenue.yml'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('says what differed in the tables and the quarantine', async () => {
      await writeFile(
        join(dir, 'revenue.test.yml'),
        `pipeline: revenue
cases:
  - name: wrong
    write:
      - { table: orders, put: { order_id: o1, currency: USD, created_at: '2026-11-29T09:00:00Z', amount: 10.25 } }
      - { table: orders, put: { order_id: o2, currency: USD, created_at: '2026-11-29T17:30:00Z', amount: 20.25 } }
      - { table: orders, put: { order_id: o3, currency: EUR, created_at: '2026-11-29T12:00:00Z', amount: '7' } }
      - { table: orders, put: { order_id: o4, currency: EUR, created_at: '2026-11-29T12:00:00Z', amount: 1 } }
    expect:
      items:
        - { table: revenue, item: { currency: USD, day: '2026-11-29', orders: 3, revenue: 30.50, largest_order: '20.25' } }
        - { table: revenue, item: { currency: GBP, day: '2026-11-29', orders: 1 } }
      rejected:
        - { table: orders, keys: { order_id: o1 } }
      onlyThese: true
`,
      );
      const [only] = (await runPipelineTests(dir)).cases;
      expect(only!.failures).toEqual([
        expect.stringMatching(/^orders\[order_id=o3\]: rejected by revenue, not expected \(amount: expected a number, found a string of digits .*; see quarantine\/revenue\/orders\/\d+-\d+\.rejected\.json\)$/),
        'orders[order_id=o1]: expected rejected by revenue, not rejected',
        'revenue[currency=USD, day=2026-11-29].orders: expected 3, found 2',
        'revenue[currency=USD, day=2026-11-29].largest_order: expected "20.25", found 20.25',
        'revenue[currency=GBP, day=2026-11-29]: expected to exist, not found',
        'revenue[currency=EUR, day=2026-11-29]: written, but not listed (onlyThese)',
      ]);
    }, 60_000);

    it('says when no stream batch reached the pipeline, and when DynamoDB refuses a write', async () => {
      await writeFile(
        join(dir, 'revenue.test.yml'),
        `pipeline: revenue
cases:
  - name: writes to the output table only
    write: [{ table: revenue, put: { currency: USD, day: '2026-11-29', orders: 1 } }]
    expect:
      items: [{ table: revenue, item: { currency: GBP, day: '2026-11-29' } }]
  - name: a number too small for DynamoDB
    write:
      - { table: orders, put: { order_id: o1, currency: USD, created_at: '2026-11-29T09:00:00Z', amount: 1e-200 } }
    expect: {}
`,
      );
      const result = await runPipelineTests(dir);
      expect(result.cases.map((c) => c.failures)).toEqual([
        [
          'revenue[currency=GBP, day=2026-11-29]: expected to exist, not found',
          'revenue: no stream batch of table orders reached it (does the case write to that table, and do on.filters let the writes through?)',
        ],
        [expect.stringMatching(/^write\[0\] \(put to orders\): could not be written: ValidationException: /)],
      ]);
    }, 60_000);
  });
});
