import { describe, expect, it } from 'vitest';
import { APPLIED_RETENTION_MS, freshContributions, readBookkeeping, recordApplied } from '../../../shared/engine/runtime/applied-positions.ts';
import type { Contribution } from '../../../shared/contract/handler.ts';

const at = (source: string, position: string): Contribution => ({ origin: { source, position }, delta: position });

describe('applied positions', () => {
  it('keeps contributions past the recorded position of their source, compared as BigInt', () => {
    const applied = { a: { position: '900719925474099300001', at: 0 } };
    const fresh = freshContributions([at('a', '900719925474099300001'), at('a', '900719925474099300002'), at('b', '1')], applied);
    expect(fresh.map((contribution) => contribution.delta)).toEqual(['900719925474099300002', '1']);
  });

  it('takes a repeat within one list for a repeat', () => {
    expect(freshContributions([at('a', '5'), at('a', '5'), at('a', '4'), at('a', '6')], {}).map((contribution) => contribution.delta)).toEqual(['5', '6']);
  });

  it('refuses a position that is not a decimal string', () => {
    expect(() => freshContributions([at('a', '1e3')], {})).toThrow('the position of a contribution from a is "1e3"; expected a decimal string (a sequence or row number)');
  });

  it('records the highest position per source and forgets sources idle past the retention', () => {
    const now = 10 * APPLIED_RETENTION_MS;
    const applied = { old: { position: '1', at: now - APPLIED_RETENTION_MS - 1 }, recent: { position: '7', at: now - APPLIED_RETENTION_MS }, a: { position: '2', at: 0 } };
    expect(recordApplied(applied, [at('a', '3'), at('a', '9'), at('b', '4')], now)).toEqual({
      recent: { position: '7', at: now - APPLIED_RETENTION_MS },
      a: { position: '9', at: now },
      b: { position: '4', at: now },
    });
    expect(applied.a).toEqual({ position: '2', at: 0 });
  });

  it('reads bookkeeping back, refusing what is not its own', () => {
    expect(readBookkeeping(undefined, 'item x')).toEqual({ version: 0, applied: {} });
    const book = { version: 3, state: '{}', applied: { a: { position: '12', at: 5 } } };
    expect(readBookkeeping(book, 'item x')).toEqual(book);
    expect(() => readBookkeeping({ version: '3', applied: {} }, 'item x')).toThrow("the _sluice attribute of item x is not Sluice's bookkeeping; was the item written by something else?");
  });
});
