import { describe, expect, it } from 'vitest';
import { isLuhnValid } from '../pii/luhn.ts';
import { scanText } from '../pii/scan.ts';
import { record, sanitizeAll } from './helpers.ts';

const all = { find: ['email', 'phone', 'card'], country: 'US' } as const;

describe('free-text scanning', () => {
  it('redacts email addresses', () => {
    expect(scanText('write to ana.silva@example.com or Bob@Example.ORG.', all)).toEqual({ text: 'write to [REDACTED] or [REDACTED].', found: { email: 2, phone: 0, card: 0 } });
  });

  it('redacts phone numbers, national ones in the scan country', () => {
    expect(scanText('call me at 415-555-0100 before delivery', all).text).toBe('call me at [REDACTED] before delivery');
    expect(scanText('or +44 20 7946 0958', { find: ['phone'] }).text).toBe('or [REDACTED]');
    expect(scanText('or 415-555-0100', { find: ['phone'] }).text).toBe('or 415-555-0100');
  });

  it('redacts Luhn-valid card numbers and leaves other digit runs', () => {
    expect(scanText('paid with card 4111 1111 1111 1111, thanks', all)).toEqual({ text: 'paid with card [REDACTED], thanks', found: { email: 0, phone: 0, card: 1 } });
    expect(scanText('card 5500-0000-0000-0004 and 378282246310005', all).text).toBe('card [REDACTED] and [REDACTED]');
    expect(scanText('ref 1234 5678 9012 3456 is not a card', { find: ['card'] }).text).toBe('ref 1234 5678 9012 3456 is not a card');
    expect(scanText('ref 4111111111111112', { find: ['card'] }).text).toBe('ref 4111111111111112');
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
  });

  it('finds only what it is asked to', () => {
    const text = 'ana@example.com 4111 1111 1111 1111';
    expect(scanText(text, { find: ['email'] }).text).toBe('[REDACTED] 4111 1111 1111 1111');
    expect(scanText(text, { find: ['card'] }).text).toBe('ana@example.com [REDACTED]');
  });

  it('scans declared and kept unknown columns of clean rows and of the quarantine, and counts the finds', async () => {
    const { rows, rejected, summary } = await sanitizeAll({ columns: { id: { type: 'integer' }, note: {} }, scan: { columns: ['note', 'extra'], country: 'US' } }, [
      record(2, { id: '1', note: 'mail ana@example.com', extra: 'card 4111 1111 1111 1111' }),
      record(3, { id: 'x', note: 'call 415-555-0100', extra: 'nothing here' }),
    ]);
    expect(rows).toEqual([{ id: 1, note: 'mail [REDACTED]', extra: 'card [REDACTED]' }]);
    expect(rejected[0]!.record).toEqual({ id: 'x', note: 'call [REDACTED]', extra: 'nothing here' });
    expect(summary.redacted).toEqual({ email: 1, phone: 1, card: 1 });
  });
});
