import { describe, expect, it } from 'vitest';
import { RunStats } from '../../../shared/workbench/local/run-stats.ts';
import type { StreamBatchResult } from '../../../shared/engine/runtime/handle-stream-event.ts';

const batch = (records: number, acknowledged: number, failures: string[] = []): StreamBatchResult => ({
  pipeline: 'revenue',
  table: 'orders',
  records,
  acknowledged,
  rejected: 0,
  rejections: [],
  outputs: [],
  batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })),
  durationMs: 10,
  stepMs: [],
});

describe('run stats of a table-triggered pipeline', () => {
  it('counts each record once across a partial failure and the redelivery that follows it', () => {
    const stats = new RunStats([{ name: 'revenue', unit: 'records', writesTable: true }]);
    // 100 records, the output failed for the 31st: 30 are done with, 70 come again.
    stats.recordBatch(batch(100, 30, ['31', '40']));
    stats.recordBatch(batch(70, 70));
    expect(stats.all()[0]).toMatchObject({ itemsIn: 100, processed: 100, retriedBatches: 1 });
  });
});
