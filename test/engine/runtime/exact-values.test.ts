import { NumberValue } from '@aws-sdk/lib-dynamodb';
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { marshallItem } from '../../../shared/engine/runtime/exact-values.ts';

describe('marshallItem', () => {
  it('writes exact numbers from their digits: big.js values, NumberValue, and number-like objects from elsewhere', () => {
    const foreign = { toString: () => '1.50' };
    Object.setPrototypeOf(foreign, { kind: 'another copy of NumberValue' });
    expect(
      marshallItem({
        sum: new Big('12345678901234567890123456789.123456789'),
        tiny: new Big('-1.5e-20'),
        large: new Big('1e21'),
        wrapped: NumberValue.from('0.30'),
        foreign,
        nested: { list: [new Big('2'), 'text'], set: new Set([new Big('1'), new Big('2')]) },
        float: 0.1,
        gone: undefined,
      }),
    ).toEqual({
      sum: { N: '12345678901234567890123456789.123456789' },
      tiny: { N: '-0.000000000000000000015' },
      large: { N: '1000000000000000000000' },
      wrapped: { N: '0.30' },
      foreign: { N: '1.50' },
      nested: { M: { list: { L: [{ N: '2' }, { S: 'text' }] }, set: { NS: ['1', '2'] } } },
      float: { N: '0.1' },
    });
  });

  it('refuses an integer a JavaScript number holds only approximately, rather than writing it wrong', () => {
    expect(() => marshallItem({ n: 2 ** 60 })).toThrow(/MAX_SAFE_INTEGER|imprecise|precision/i);
  });
});
