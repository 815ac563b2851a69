import { describe, expect, it } from 'vitest';
import { decimalSize, parseDecimal } from '../../../events/dynamodb/dynamodb-number.ts';
import { attributeValueSize as valueSize, imageSize as itemSize } from '../../../events/dynamodb/item-size.ts';

const numberSize = (text: string) => decimalSize(parseDecimal(text)!);

describe('item size (DynamoDB item-size rules)', () => {
  it('counts strings and attribute names in UTF-8 bytes', () => {
    expect(itemSize({ data: { S: 'test' } })).toBe(8);
    expect(itemSize({ 'é': { S: 'ü€' } })).toBe(2 + 5);
  });

  it('counts a number as one byte plus its base-100 digit pairs, one more when negative', () => {
    expect(numberSize('0')).toBe(1);
    expect(numberSize('1')).toBe(2);
    expect(numberSize('12')).toBe(2);
    expect(numberSize('101')).toBe(3);
    expect(numberSize('1200')).toBe(2);
    expect(numberSize('1.2')).toBe(3); // "01.20": two pairs
    expect(numberSize('0.05')).toBe(2);
    expect(numberSize('-1')).toBe(3);
    expect(numberSize('12345678901234567890123456789012345678')).toBe(20);
  });

  it('counts binary, sets, booleans, nulls, lists and maps', () => {
    expect(valueSize({ B: Buffer.from([1, 2, 3]).toString('base64') })).toBe(3);
    expect(valueSize({ SS: ['ab', 'c'] })).toBe(3);
    expect(valueSize({ NS: ['1', '12'] })).toBe(4);
    expect(valueSize({ BS: [Buffer.from('xy').toString('base64')] })).toBe(2);
    expect(valueSize({ BOOL: false })).toBe(1);
    expect(valueSize({ NULL: true })).toBe(1);
    expect(valueSize({ L: [] })).toBe(3);
    expect(valueSize({ L: [{ S: 'ab' }, { BOOL: true }] })).toBe(3 + (1 + 2) + (1 + 1));
    expect(valueSize({ M: { a: { S: 'xy' } } })).toBe(3 + 1 + 1 + 2);
  });

  it('gives the sizes AWS reports in its stream records', () => {
    // Keys and images of records captured from DynamoDB Streams (SizeBytes 6, 20 and 26 there).
    const keys = { sk: { S: 'b' }, pk: { S: 'a' } };
    expect(itemSize(keys)).toBe(6);
    expect(itemSize(keys) + itemSize({ data: { S: 'test' }, ...keys })).toBe(20);
    expect(itemSize({ Id: { N: '101' } }) + itemSize({ Message: { S: 'New item!' }, Id: { N: '101' } })).toBe(26);
  });
});
