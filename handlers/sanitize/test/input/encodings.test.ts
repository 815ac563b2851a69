import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findInvalidUtf8, incompleteTailLength, replaceInvalidUtf8 } from '../../input/utf8-validation.ts';
import { readText, summarize } from './read-all.ts';

const TABLE = 'id,name,price\r\n1,Café Zoë,£5\r\n2,"naïve, ""quoted""",¥7\r\n';
const RECORDS = [
  [2, { id: '1', name: 'Café Zoë', price: '£5' }, []],
  [3, { id: '2', name: 'naïve, "quoted"', price: '¥7' }, []],
];

const BOM = { utf8: [0xef, 0xbb, 0xbf], utf16le: [0xff, 0xfe], utf16be: [0xfe, 0xff] };
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
const withBom = (bom: number[], body: Buffer) => Buffer.concat([Buffer.from(bom), body]);

describe('encodings', () => {
  it.each([
    ['UTF-8', Buffer.from(TABLE, 'utf8'), {}],
    ['UTF-8 with a BOM', withBom(BOM.utf8, Buffer.from(TABLE, 'utf8')), {}],
    ['UTF-16LE with a BOM', withBom(BOM.utf16le, Buffer.from(TABLE, 'utf16le')), {}],
    ['UTF-16BE with a BOM', withBom(BOM.utf16be, utf16be(TABLE)), {}],
    ['UTF-16LE declared, no BOM', Buffer.from(TABLE, 'utf16le'), { encoding: 'utf-16le' }],
    ['UTF-16BE declared, no BOM', utf16be(TABLE), { encoding: 'utf-16be' }],
    ['Latin-1 declared', Buffer.from(TABLE, 'latin1'), { encoding: 'latin1' }],
    ['a UTF-8 BOM over a declared Latin-1', withBom(BOM.utf8, Buffer.from(TABLE, 'utf8')), { encoding: 'latin1' }],
    ['a UTF-16LE BOM over the UTF-8 default', withBom(BOM.utf16le, Buffer.from(TABLE, 'utf16le')), { encoding: 'utf-8' }],
  ] as const)('%s gives the same records, the BOM gone from the first name', async (_label, bytes, options) => {
    for (const chunkSize of [undefined, 1, 3]) expect(summarize(await readText(bytes, options, { key: 't.csv' }, chunkSize))).toEqual(RECORDS);
  });

  it('reads bytes 0x80-0x9F of Latin-1 as Windows-1252 does', async () => {
    const bytes = Buffer.from([...Buffer.from('a\n'), 0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0x85, 0x0a]);
    expect(summarize(await readText(bytes, { encoding: 'latin1' }, { key: 'a.csv' }))).toEqual([[2, { a: '€ “q” …' }, []]]);
  });

  it('a byte that is not UTF-8 rejects only its record, naming the byte and its offset in the object', async () => {
    const bytes = Buffer.concat([Buffer.from('\ufeffid,name\n1,ok\n2,caf'), Buffer.from([0xe9]), Buffer.from('\n3,'), Buffer.from([0xff, 0xc3]), Buffer.from('x\n4,ok\n')]);
    const expected = [
      [2, { id: '1', name: 'ok' }, []],
      [3, { id: '2', name: 'caf\ufffd' }, ['not valid UTF-8: byte 0xE9 at offset 21; if the file is Latin-1 or Windows-1252, set encoding: latin1']],
      [4, { id: '3', name: '\ufffd\ufffdx' }, ['not valid UTF-8: byte 0xFF at offset 25 (and 1 more); if the file is Latin-1 or Windows-1252, set encoding: latin1']],
      [5, { id: '4', name: 'ok' }, []],
    ];
    for (const chunkSize of [undefined, 1, 2, 4]) expect(summarize(await readText(bytes, {}, { key: 'a.csv' }, chunkSize))).toEqual(expected);
  });

  it('a multi-byte character split between chunks is no fault; one cut short at the end is', async () => {
    const whole = Buffer.from('a\n日本\n€\n');
    for (const chunkSize of [1, 2, 4]) expect(summarize(await readText(whole, {}, { key: 'a.csv' }, chunkSize))).toEqual([
      [2, { a: '日本' }, []],
      [3, { a: '€' }, []],
    ]);
    const cut = Buffer.concat([Buffer.from('a\nok\nx'), Buffer.from('€').subarray(0, 2)]);
    expect(summarize(await readText(cut, {}, { key: 'a.csv' }, 1))).toEqual([
      [2, { a: 'ok' }, []],
      [3, { a: 'x\ufffd' }, ['not valid UTF-8: byte 0xE2 at offset 6; if the file is Latin-1 or Windows-1252, set encoding: latin1']],
    ]);
  });

  it('a header that is not valid UTF-8 refuses the file', async () => {
    const bytes = Buffer.concat([Buffer.from('id,pr'), Buffer.from([0xe9]), Buffer.from('nom\n1,2\n')]);
    expect(summarize(await readText(bytes, {}, { key: 'a.csv' }))).toEqual([
      'CSV_HEADER_INVALID: line 1: the header row is not valid UTF-8: byte 0xE9 at offset 5; if the file is Latin-1 or Windows-1252, set encoding: latin1',
    ]);
  });

  it('an unpaired UTF-16 surrogate, or an odd last byte, rejects its record', async () => {
    const units = Buffer.from('a\nx\n?y\nz', 'utf16le');
    units.writeUInt16LE(0xd800, 8); // the "?" of line 3
    const bytes = Buffer.concat([Buffer.from(BOM.utf16le), units, Buffer.from([0x41])]);
    for (const chunkSize of [undefined, 1, 3]) {
      expect(summarize(await readText(bytes, {}, { key: 'a.csv' }, chunkSize))).toEqual([
        [2, { a: 'x' }, []],
        [3, { a: '\ufffdy' }, ['not valid UTF-16: unpaired surrogate 0xD800 at offset 10']],
        [4, { a: 'z\ufffd' }, ['not valid UTF-16: a last byte 0x41 without its pair at offset 18']],
      ]);
    }
  });

  it('the replacement character written in the file is text like any other', async () => {
    expect(summarize(await readText('a\n\ufffd\n', {}, { key: 'a.csv' }))).toEqual([[2, { a: '\ufffd' }, []]]);
  });
});

describe('UTF-8 validation', () => {
  it('finds exactly the bytes the WHATWG decoder replaces, one U+FFFD per invalid part', () => {
    const decoder = new TextDecoder('utf-8');
    for (let round = 0; round < 500; round++) {
      // Mostly high bytes, so that valid, invalid and truncated sequences all occur.
      const bytes = Buffer.from(randomBytes(64).map((byte) => (byte < 64 ? byte & 0x7f : byte | 0x80)));
      const repaired = replaceInvalidUtf8(bytes, findInvalidUtf8(bytes));
      expect(repaired.toString('utf8')).toBe(decoder.decode(bytes));
    }
  });

  it('rejects overlong forms, surrogates and code points past U+10FFFF', () => {
    expect(findInvalidUtf8(Buffer.from([0xc0, 0xaf]))).toEqual([0, 1, 1, 2]);
    expect(findInvalidUtf8(Buffer.from([0xe0, 0x80, 0xaf]))).toEqual([0, 1, 1, 2, 2, 3]);
    expect(findInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toEqual([0, 1, 1, 2, 2, 3]);
    expect(findInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
    expect(findInvalidUtf8(Buffer.from([0xe2, 0x82, 0x41]))).toEqual([0, 2]);
    expect(findInvalidUtf8(Buffer.from('€ 日本 😀'))).toEqual([]);
  });

  it('holds back only a sequence the next chunk can complete', () => {
    expect(incompleteTailLength(Buffer.from('abc'))).toBe(0);
    expect(incompleteTailLength(Buffer.from('€').subarray(0, 1))).toBe(1);
    expect(incompleteTailLength(Buffer.from('€').subarray(0, 2))).toBe(2);
    expect(incompleteTailLength(Buffer.from('😀').subarray(0, 3))).toBe(3);
    expect(incompleteTailLength(Buffer.from('a€'))).toBe(0);
    expect(incompleteTailLength(Buffer.from([0x41, 0xff]))).toBe(0);
  });
});
