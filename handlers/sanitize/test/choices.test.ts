import { describe, expect, it } from 'vitest';
import { read } from './helpers.ts';

describe('enum columns', () => {
  it('accept the listed values, exactly or ignoring case, giving the value as listed', () => {
    const rule = { type: 'enum', values: ['EUR', 'GBP', 'USD'] } as const;
    expect(read(rule, 'EUR')).toBe('EUR');
    expect(read(rule, 'eur')).toEqual(['expected one of EUR, GBP or USD, found another value (text of 3 characters)']);
    expect(read({ ...rule, case: 'upper' }, ' usd ')).toBe('USD');
    expect(read({ type: 'enum', values: ['Paid', 'Refunded'], caseInsensitive: true }, 'PAID')).toBe('Paid');
    expect(read({ type: 'enum', values: ['Paid', 'Refunded'], caseInsensitive: true }, 'void')).toEqual(['expected one of Paid or Refunded (any case), found another value (text of 4 characters)']);
  });
});

describe('boolean columns', () => {
  it('read the default words and digits in any case, and JSON booleans', () => {
    for (const yes of ['true', 'TRUE', 'Yes', 'y', '1', 1, true]) expect(read({ type: 'boolean' }, yes)).toBe(true);
    for (const no of ['false', 'No', 'N', '0', 0, false]) expect(read({ type: 'boolean' }, no)).toBe(false);
    expect(read({ type: 'boolean' }, 'maybe')).toEqual(['expected one of true, yes, y, 1, false, no, n or 0 (any case), found text of 5 characters']);
  });

  it('read configured words instead', () => {
    const rule = { type: 'boolean', trueValues: ['oui'], falseValues: ['non'] } as const;
    expect(read(rule, 'OUI')).toBe(true);
    expect(read(rule, 'non')).toBe(false);
    expect(read(rule, 'yes')).toEqual(['expected one of oui or non (any case), found text of 3 characters']);
  });
});
