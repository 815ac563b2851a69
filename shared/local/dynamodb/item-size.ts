import Big from 'big.js';
import type { AttributeValue, Item } from './attribute-value.ts';

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * DynamoDB stores a number as base-100 digits aligned on the decimal point, plus one byte (and one
 * more when negative): 12 and 1200 take one pair each and 1.2 takes two ("01.20"), so the size
 * depends on where the significant digits sit, not only on how many there are.
 */
export function numberSize(value: string): number {
  const number = new Big(value);
  const digits = number.c.length;
  if (digits === 1 && number.c[0] === 0) return 1;
  // number.e is the power of ten of the first digit: a pair boundary falls before it when e is odd.
  const leadingPad = number.e % 2 === 0 ? 1 : 0;
  const pairs = Math.ceil((digits + leadingPad) / 2);
  return 1 + pairs + (number.s < 0 ? 1 : 0);
}

/** The size of one value by DynamoDB's item-size rules. */
export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Length(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return Buffer.from(value.B, 'base64').length;
  if (value.SS !== undefined) return value.SS.reduce((sum, text) => sum + utf8Length(text), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, number) => sum + numberSize(number), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, data) => sum + Buffer.from(data, 'base64').length, 0);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  // Lists and maps: 3 bytes of their own, 1 more per element.
  if (value.L !== undefined) return 3 + value.L.reduce((sum, element) => sum + 1 + valueSize(element), 0);
  if (value.M !== undefined) return 3 + Object.keys(value.M).length + itemSize(value.M);
  return 0;
}

/** An item's size: the UTF-8 length of each attribute name plus the size of its value. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8Length(name) + valueSize(value);
  return size;
}
