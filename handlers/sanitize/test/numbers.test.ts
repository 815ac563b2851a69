import { NumberValueImpl as NumberValue } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { read } from './helpers.ts';

describe('integer columns', () => {
  it('read digits, whole decimals and JSON numbers exactly', () => {
    expect(read({ type: 'integer' }, '42')).toBe(42);
    expect(read({ type: 'integer' }, ' +007 ')).toBe(7);
    expect(read({ type: 'integer' }, '-0')).toBe(0);
    expect(read({ type: 'integer' }, '12.0')).toBe(12);
    expect(read({ type: 'integer' }, '1.2e3')).toBe(1200);
    expect(read({ type: 'integer' }, 17)).toBe(17);
  });

  it('keep integers past 2^53 as NumberValue, with every digit', () => {
    expect(read({ type: 'integer' }, '9007199254740993')).toEqual(NumberValue.from('9007199254740993'));
    expect(read({ type: 'integer' }, '12345678901234567890123456789012345678')).toEqual(NumberValue.from('12345678901234567890123456789012345678'));
  });

  it('reject fractions, text and what DynamoDB cannot store, without repeating the value', () => {
    expect(read({ type: 'integer' }, '12.5')).toEqual(['expected an integer, found a number with a fraction']);
    expect(read({ type: 'integer' }, 12.5)).toEqual(['expected an integer, found a number with a fraction']);
    expect(read({ type: 'integer' }, 'twelve')).toEqual(['expected an integer, found text of 6 characters']);
    expect(read({ type: 'integer' }, '1,234')).toEqual(['expected an integer, found a number with thousands separators']);
    expect(read({ type: 'integer' }, '123456789012345678901234567890123456789')).toEqual([
      'expected an integer DynamoDB can store (38 significant digits, magnitude 1E-130 to 9.99E+125), found a number more than 38 significant digits',
    ]);
    expect(read({ type: 'integer' }, { n: 1 })).toEqual(['expected an integer, found a mapping']);
    expect(read({ type: 'integer' }, [1])).toEqual(['expected an integer, found a list']);
  });

  it('check min and max', () => {
    expect(read({ type: 'integer', min: 1, max: 10 }, '10')).toBe(10);
    expect(read({ type: 'integer', min: 1, max: 10 }, '0')).toEqual(['expected an integer >= 1, found a smaller one']);
    expect(read({ type: 'integer', min: 1, max: 10 }, '11')).toEqual(['expected an integer <= 10, found a larger one']);
  });
});

describe('decimal columns', () => {
  it('give a plain number when its text survives one, and canonical digits', () => {
    expect(read({ type: 'decimal' }, '84.34')).toBe(84.34);
    expect(read({ type: 'decimal' }, '12.50')).toBe(12.5);
    expect(read({ type: 'decimal' }, '.5')).toBe(0.5);
    expect(read({ type: 'decimal' }, '-0.000')).toBe(0);
    expect(read({ type: 'decimal' }, '1.5e3')).toBe(1500);
    expect(read({ type: 'decimal' }, 0.1)).toBe(0.1);
  });

  it('give a NumberValue when a number would lose digits', () => {
    expect(read({ type: 'decimal' }, '12345678901234567890.25')).toEqual(NumberValue.from('12345678901234567890.25'));
    expect(read({ type: 'decimal' }, '0.1000000000000000000000000000000000001')).toEqual(NumberValue.from('0.1000000000000000000000000000000000001'));
    expect(read({ type: 'decimal' }, '1e-130')).toEqual(NumberValue.from(`0.${'0'.repeat(129)}1`));
  });

  it('reject what is not a decimal, or out of DynamoDB\'s range', () => {
    const expected = 'expected a decimal number (digits with an optional sign and point, e.g. 12.50)';
    expect(read({ type: 'decimal' }, '12,50')).toEqual([`${expected}, found text of 5 characters`]);
    expect(read({ type: 'decimal' }, '1,250.00')).toEqual([`${expected}, found a number with thousands separators`]);
    expect(read({ type: 'decimal' }, 'NaN')).toEqual([`${expected}, found text of 3 characters`]);
    expect(read({ type: 'decimal' }, '1e200')).toEqual([
      'expected a number DynamoDB can store (38 significant digits, magnitude 1E-130 to 9.99E+125), found a number larger in magnitude than DynamoDB stores (9.99E+125 at most)',
    ]);
  });

  it('compare with min and max exactly, also with bounds written as strings', () => {
    expect(read({ type: 'decimal', min: 0 }, '0')).toBe(0);
    expect(read({ type: 'decimal', min: 0 }, '-12.00')).toEqual(['expected a number >= 0, found a smaller one']);
    expect(read({ type: 'decimal', max: '0.30000000000000000001' }, '0.30000000000000000002')).toEqual(['expected a number <= 0.30000000000000000001, found a larger one']);
    expect(read({ type: 'decimal', max: '0.30000000000000000001' }, '0.3')).toBe(0.3);
  });
});
