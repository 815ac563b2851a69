import { describe, expect, it } from 'vitest';
import { NUMBER_TEXT, formatDecimal, parseDecimal } from '../../../events/dynamodb/dynamodb-number.ts';
import { seededRandom } from '../../support/seeded-random.ts';

/** The grammar read with the regular expression, as the hand-written scanner must agree with. */
function byGrammar(text: string) {
  const match = NUMBER_TEXT.exec(text);
  if (!match) return undefined;
  const [whole = '', fraction = ''] = match[1]!.split('.');
  const all = whole + fraction;
  const leading = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(leading).replace(/0+$/, '');
  if (!digits) return { negative: false, digits: '', point: 0 };
  return { negative: text.startsWith('-'), digits, point: whole.length - leading + Number((match[2] ?? 'e0').slice(1)) };
}

describe('parseDecimal', () => {
  it.each([
    ['84.34', { negative: false, digits: '8434', point: 2 }],
    ['-0.005', { negative: true, digits: '5', point: -2 }],
    ['+1200', { negative: false, digits: '12', point: 4 }],
    ['.5', { negative: false, digits: '5', point: 0 }],
    ['5.', { negative: false, digits: '5', point: 1 }],
    ['1.5E+3', { negative: false, digits: '15', point: 4 }],
    ['-0.0', { negative: false, digits: '', point: 0 }],
  ])('reads %s exactly', (text, expected) => {
    expect(parseDecimal(text)).toEqual(expected);
  });

  it.each(['', '.', '-', '+.', '1e', '1e+', '1.2.3', ' 1', '1 ', '0x10', '1,000', 'NaN', 'Infinity', '١٢', '1e5.5', '--1'])('refuses %j', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });

  it('agrees with the grammar on 20,000 generated texts', () => {
    const random = seededRandom(20261129);
    const alphabet = ['0', '0', '1', '5', '9', '.', '-', '+', 'e', 'E', ' ', 'x'];
    for (let i = 0; i < 20_000; i++) {
      const length = 1 + Math.floor(random() * 10);
      let text = '';
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
      const expected = byGrammar(text);
      expect(parseDecimal(text), text).toEqual(expected);
      if (expected) expect(formatDecimal(parseDecimal(text)!)).toBe(formatDecimal(expected));
    }
  });
});
