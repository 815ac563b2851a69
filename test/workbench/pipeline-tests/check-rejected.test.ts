import { describe, expect, it } from 'vitest';
import type { Resources } from '../../../shared/engine/pipeline/resources.ts';
import { checkRejected } from '../../../shared/workbench/pipeline-tests/check-rejected.ts';
import type { StreamQuarantineFile } from '../../../shared/workbench/pipeline-tests/stream-quarantine.ts';
import { parseStreamQuarantine } from '../../../shared/workbench/pipeline-tests/stream-quarantine.ts';

const resources: Resources = {
  buckets: { quarantine: {} },
  tables: {
    orders: { partitionKey: { name: 'order_id', type: 'S' }, stream: 'NEW_AND_OLD_IMAGES' },
    readings: { partitionKey: { name: 'sensor', type: 'S' }, sortKey: { name: 'at', type: 'N' }, stream: 'NEW_IMAGE' },
  },
};

const streamRecord = (keys: Record<string, unknown>, sequence: string) => ({ eventName: 'INSERT', dynamodb: { Keys: keys, SequenceNumber: sequence, StreamViewType: 'NEW_AND_OLD_IMAGES' } });

/** A `.rejected.json` as the runtime writes it, reduced to what the checker reads. */
function rejectedFile(orderId: string, sequence: string, reasons: { field?: string; message: string }[], pipeline = 'revenue'): StreamQuarantineFile {
  const where = `quarantine/${pipeline}/orders/${sequence}-${sequence}.rejected.json`;
  const body = { pipeline, table: 'orders', position: sequence, step: 'aggregate', reasons, streamRecord: streamRecord({ order_id: { S: orderId } }, sequence) };
  return parseStreamQuarantine(where, pipeline, 'orders', JSON.stringify(body))!;
}

const noAmount = rejectedFile('o9', '100', [{ field: 'amount', message: 'missing; expected a number' }]);

describe('reading the stream quarantine', () => {
  it('takes the keys from the stream record as Lambda delivered it, number keys exact', () => {
    expect(noAmount).toEqual({ kind: 'rejected', where: 'quarantine/revenue/orders/100-100.rejected.json', pipeline: 'revenue', table: 'orders', keys: { order_id: 'o9' }, reasons: [{ field: 'amount', message: 'missing; expected a number' }] });
    const failed = parseStreamQuarantine(
      'quarantine/sensors/readings/1-2.failed.json',
      'sensors',
      'readings',
      JSON.stringify({ error: { code: 'RETRIES_EXHAUSTED', message: 'gave up after 3 attempts' }, records: [streamRecord({ sensor: { S: 'a' }, at: { N: '12345678901234567890.5' } }, '1'), streamRecord({ sensor: { S: 'b' }, at: { N: '2' } }, '2')] }),
    );
    expect(failed).toMatchObject({ kind: 'failed', error: { code: 'RETRIES_EXHAUSTED' } });
    expect(failed?.kind === 'failed' && failed.records.map((keys) => `${String(keys.sensor)} ${String(keys.at)}`)).toEqual(['a 12345678901234567890.5', 'b 2']);
    expect(parseStreamQuarantine('quarantine/revenue/orders/notes.txt', 'revenue', 'orders', 'hello')).toBeUndefined();
  });
});

describe('checkRejected', () => {
  const check = (expected: Parameters<typeof checkRejected>[0]['expected'], files: StreamQuarantineFile[]) => checkRejected({ expected, files, pipeline: 'revenue', resources });

  it('passes when each rejected record is listed, with a field among its reasons or with none named', () => {
    expect(check([{ table: 'orders', keys: { order_id: 'o9' }, field: 'amount' }], [noAmount])).toEqual([]);
    expect(check([{ table: 'orders', keys: { order_id: 'o9' } }], [noAmount])).toEqual([]);
  });

  it('fails a rejected record that is not listed, with its reasons and where it is', () => {
    expect(check([], [noAmount])).toEqual(['orders[order_id=o9]: rejected by revenue, not expected (amount: missing; expected a number; see quarantine/revenue/orders/100-100.rejected.json)']);
  });

  it('fails a listed record that was not rejected, or was rejected for another field (once)', () => {
    expect(check([{ table: 'orders', keys: { order_id: 'o1' }, field: 'amount' }], [])).toEqual(['orders[order_id=o1]: expected rejected by revenue for amount, not rejected']);
    expect(check([{ table: 'orders', keys: { order_id: 'o9' }, field: 'currency' }], [noAmount])).toEqual(['orders[order_id=o9]: expected rejected for currency, rejected for amount: missing; expected a number']);
  });

  it("counts another pipeline's rejections as unexpected: only the pipeline under test's can be listed", () => {
    const elsewhere = rejectedFile('o9', '100', [{ message: 'no' }], 'audit');
    expect(check([{ table: 'orders', keys: { order_id: 'o9' } }], [elsewhere])).toEqual([
      'orders[order_id=o9]: rejected by audit, not expected (no; see quarantine/audit/orders/100-100.rejected.json)',
      'orders[order_id=o9]: expected rejected by revenue, not rejected',
    ]);
  });

  it('fails every quarantined batch, with its records and error', () => {
    const records = ['o1', 'o2', 'o3', 'o4', 'o5'].map((id) => ({ order_id: id }));
    const failed: StreamQuarantineFile = { kind: 'failed', where: 'quarantine/revenue/orders/1-5.failed.json', pipeline: 'revenue', table: 'orders', error: { code: 'INVALID_EVENT', message: 'not a stream event' }, records };
    expect(check([], [failed])).toEqual([
      'quarantine/revenue/orders/1-5.failed.json: a batch of 5 records (orders[order_id=o1], orders[order_id=o2], orders[order_id=o3], and 2 more) quarantined by revenue, not expected (INVALID_EVENT: not a stream event)',
    ]);
  });
});
