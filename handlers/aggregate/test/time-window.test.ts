import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { aggregateBatch } from '../core.ts';
import { aggregateSpec } from '../spec.ts';
import { EPOCH_SECONDS_BELOW, readTime, windowOf } from '../time-window.ts';
import { insert } from './changes.ts';

const windowsOf = (value: unknown) => {
  const time = readTime(value);
  if (!time.ok) throw new Error(time.expected);
  return (['hour', 'day', 'month'] as const).map((window) => {
    const named = windowOf(time.ms, window);
    if (!named.ok) throw new Error(named.expected);
    return named.value;
  });
};

describe('time windows (UTC, tumbling)', () => {
  it.each([
    ['2024-05-01T13:45:10Z', ['2024-05-01T13:00:00Z', '2024-05-01', '2024-05']],
    ['2024-05-01T13:45:10.123456z', ['2024-05-01T13:00:00Z', '2024-05-01', '2024-05']],
    ['2024-05-01 13:45Z', ['2024-05-01T13:00:00Z', '2024-05-01', '2024-05']],
    ['2024-05-01T01:30:00+02:00', ['2024-04-30T23:00:00Z', '2024-04-30', '2024-04']],
    ['2024-04-30T23:30:00-0130', ['2024-05-01T01:00:00Z', '2024-05-01', '2024-05']],
    ['2024-12-31T23:59:59.999-05', ['2025-01-01T04:00:00Z', '2025-01-01', '2025-01']],
    ['2024-02-29', ['2024-02-29T00:00:00Z', '2024-02-29', '2024-02']],
    ['0099-06-15T00:00:00Z', ['0099-06-15T00:00:00Z', '0099-06-15', '0099-06']],
  ])('ISO-8601 %s', (value, expected) => {
    expect(windowsOf(value)).toEqual(expected);
  });

  it.each([
    [1714571110, 'epoch seconds'],
    [1714571110.75, 'fractional epoch seconds'],
    [1714571110123, 'epoch milliseconds'],
    [BigInt(1714571110123), 'a bigint of milliseconds'],
    [NumberValue.from('1714571110'), 'a NumberValue of seconds'],
    [NumberValue.from('1714571110123'), 'a NumberValue of milliseconds'],
  ] as [unknown, string][])('epoch %s (%s)', (value) => {
    // 2024-05-01T13:45:10Z
    expect(windowsOf(value)).toEqual(['2024-05-01T13:00:00Z', '2024-05-01', '2024-05']);
  });

  it('reads numbers below 1e11 as seconds and from 1e11 as milliseconds', () => {
    expect(EPOCH_SECONDS_BELOW).toBe(1e11);
    expect(windowsOf(EPOCH_SECONDS_BELOW - 1)[1]).toBe('5138-11-16');
    expect(windowsOf(EPOCH_SECONDS_BELOW)[1]).toBe('1973-03-03');
    expect(windowsOf(0)[0]).toBe('1970-01-01T00:00:00Z');
    expect(windowsOf(-86_400)[1]).toBe('1969-12-31');
  });

  it.each(['2024-02-30', '2023-02-29', '2024-13-01', '2024-05-01T24:00Z', '2024-05-01T10:60Z', '2024-05-01T10:00:61Z', '2024-05-01T10:00+25:00', '2024-5-1', '1714571110'])(
    'refuses %j',
    (value) => {
      expect(readTime(value).ok).toBe(false);
    },
  );

  it('puts records in the windows of the step output', () => {
    const config = aggregateSpec.parse({ groupBy: [{ field: 'at', window: 'hour', as: 'hour' }, { field: 'at', window: 'month', as: 'month' }] });
    const { updates } = aggregateBatch([insert(1, { at: '2024-05-01T13:05:00Z' }), insert(2, { at: 1714571110 }), insert(3, { at: '2024-05-01T14:00:00Z' })], config);
    expect(updates.map((update) => [update.group, update.contributions.length])).toEqual([
      [{ hour: '2024-05-01T13:00:00Z', month: '2024-05' }, 2],
      [{ hour: '2024-05-01T14:00:00Z', month: '2024-05' }, 1],
    ]);
  });
});
