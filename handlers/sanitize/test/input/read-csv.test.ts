import { describe, expect, it } from 'vitest';
import type { InputOptionsInput } from '../../input/spec.ts';
import { readText, summarize } from './read-all.ts';

const csv = (text: string, options: InputOptionsInput = {}, chunkSize?: number) => readText(text, options, { key: 'orders.csv' }, chunkSize).then(summarize);

describe('reading CSV', () => {
  it('numbers each record by its first line: blank lines, quoted line breaks, CRLF, LF and CR mixed', async () => {
    const text = '\n\nid,note\r\n1,"two\r\nlines"\r\n\r\n2,plain\n3,"a\nb\rc"\r4,x\n';
    const expected = [
      [4, { id: '1', note: 'two\r\nlines' }, []],
      [7, { id: '2', note: 'plain' }, []],
      [8, { id: '3', note: 'a\nb\rc' }, []],
      [11, { id: '4', note: 'x' }, []],
    ];
    expect(await csv(text)).toEqual(expected);
    for (const size of [1, 2, 3, 7]) expect(await csv(text, {}, size)).toEqual(expected);
  });

  it('keeps counting right after many quoted CRLFs', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},"x\r\ny"`).join('\r\n');
    const { records } = await readText(`id,v\r\n${rows}\r\n`, {}, { key: 'a.csv' });
    expect(records.map((record) => record.row)).toEqual(Array.from({ length: 50 }, (_, i) => 2 + 2 * i));
  });

  it('reads a file without a header row with the declared columns', async () => {
    expect(await csv('1,Ann\n2,Bob\n', { csv: { header: false, columns: ['id', 'name'] } })).toEqual([
      [1, { id: '1', name: 'Ann' }, []],
      [2, { id: '2', name: 'Bob' }, []],
    ]);
    expect(await csv('1,Ann,x\n', { csv: { header: false, columns: ['id', 'name'] } })).toEqual([
      [1, { id: '1', name: 'Ann', '#3': 'x' }, ["expected 2 fields (the declared columns'), found 3"]],
    ]);
  });

  it('reports ragged rows and reads on; with relaxColumnCount: false refuses the file at the first', async () => {
    const text = 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n';
    expect(await csv(text)).toEqual([
      [2, { a: '1', b: '2', c: '3' }, []],
      [3, { a: '4', b: '5' }, ["expected 3 fields (the header's), found 2"]],
      [4, { a: '6', b: '7', c: '8', '#4': '9' }, ["expected 3 fields (the header's), found 4"]],
      [5, { a: '10', b: '11', c: '12' }, []],
    ]);
    expect(await csv(text, { csv: { relaxColumnCount: false } })).toEqual([
      [2, { a: '1', b: '2', c: '3' }, []],
      "CSV_FIELD_COUNT: line 3: expected 3 fields (the header's), found 2 (relaxColumnCount is false, so the file is refused)",
    ]);
  });

  it('names extra fields past a column already called #4 without overwriting it', async () => {
    expect(await csv('a,#3\n1,2,3\n')).toEqual([[2, { a: '1', '#3': '2', '##3': '3' }, ["expected 2 fields (the header's), found 3"]]]);
  });

  it('refuses a header with empty or repeated names, naming them', async () => {
    expect(await csv('id,name,,id,name,\n1,2,3,4,5,6\n')).toEqual([
      'CSV_HEADER_INVALID: line 1: the header row must name each column once: column 3 has no name; column 6 has no name; "id" names columns 1 and 4; "name" names columns 2 and 5',
    ]);
  });

  it('keeps a column named __proto__ as a column', async () => {
    const { records } = await readText('__proto__,constructor\n1,2\n', {}, { key: 'a.csv' });
    expect(Object.keys(records[0]!.values)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(records[0]!.values, '__proto__')?.value).toBe('1');
    expect(Object.getPrototypeOf(records[0]!.values)).toBe(Object.prototype);
  });

  it('skips empty lines, or with skipEmptyLines: false reads them as records of one empty field', async () => {
    expect(await csv('a\n1\n\n2\n', { csv: { skipEmptyLines: false } })).toEqual([
      [2, { a: '1' }, []],
      [3, { a: '' }, []],
      [4, { a: '2' }, []],
    ]);
    expect(await csv('a,b\n1,2\n\n3,4\n', { csv: { skipEmptyLines: false } })).toEqual([
      [2, { a: '1', b: '2' }, []],
      [3, { a: '' }, ["expected 2 fields (the header's), found 1"]],
      [4, { a: '3', b: '4' }, []],
    ]);
  });

  it('reads another delimiter, quote and escape', async () => {
    expect(await csv("a;b\n'x;y';'it\\'s'\n", { csv: { delimiter: ';', quote: "'", escape: '\\' } })).toEqual([[2, { a: 'x;y', b: "it's" }, []]]);
  });

  it('keeps stray quotes as written, or with relaxQuotes: false rejects that row alone', async () => {
    const text = 'id,height\n1,5\'10"\n2,"6\'1"x\n3,"ok"\n';
    expect(await csv(text)).toEqual([
      [2, { id: '1', height: '5\'10"' }, []],
      [3, { id: '2', height: '"6\'1"x' }, []],
      [4, { id: '3', height: 'ok' }, []],
    ]);
    expect(await csv('id,height\n1,5\'10"\n2,ok\n3,a"b"c\n', { csv: { relaxQuotes: false } })).toEqual([
      [2, {}, ['cannot read the row: a quote inside field 2 (height), which is not quoted (a field with quotes must be quoted, its quotes doubled)']],
      [3, { id: '2', height: 'ok' }, []],
      // Two stray quotes, one row: one record.
      [4, {}, ['cannot read the row: a quote inside field 2 (height), which is not quoted (a field with quotes must be quoted, its quotes doubled)']],
    ]);
  });

  it('a stray quote in the header refuses the file with relaxQuotes: false', async () => {
    expect(await csv('id,na"me\n1,2\n', { csv: { relaxQuotes: false } })).toEqual([
      'CSV_HEADER_INVALID: line 1: the header row has a quote inside field 2, which is not quoted (a field with quotes must be quoted, its quotes doubled)',
    ]);
  });

  it('a quote never closed: the records before it, then the line where its record starts', async () => {
    expect(await csv('id,note\n1,ok\n2,"never closed\n3,x\n4,y\n')).toEqual([
      [2, { id: '1', note: 'ok' }, []],
      'CSV_MALFORMED: line 3: a quoted field in the record starting here is never closed, so the rest of the file (to line 5) cannot be read as rows; look for a stray quote',
    ]);
  });

  it('a record past maxRecordBytes refuses the file instead of filling the memory', async () => {
    const text = `id,note\n1,ok\n2,"${'x'.repeat(5000)}\n3,y\n`;
    expect(await csv(text, { maxRecordBytes: 1024 })).toEqual([
      [2, { id: '1', note: 'ok' }, []],
      'RECORD_TOO_LARGE: line 3: the record starting here is longer than 1024 bytes (maxRecordBytes) by line 3; usually a quote that is never closed',
    ]);
  });

  it('an empty file, or a header alone, has no records and nothing wrong', async () => {
    expect(await csv('')).toEqual([]);
    expect(await csv('\n\n')).toEqual([]);
    expect(await csv('a,b,c')).toEqual([]);
  });

  it('leaves values exactly as written: no trimming, no casting', async () => {
    expect(await csv('a,b,c\n 01 ,1e3,"  "\n')).toEqual([[2, { a: ' 01 ', b: '1e3', c: '  ' }, []]]);
  });

  it('reads the same whatever the chunk size', async () => {
    const text = 'naïve,"quoted ""x"""\r\n"é\r\nè",2\r\n3,"日本語"\r\n';
    const whole = await csv(text);
    expect(whole).toEqual([
      [2, { naïve: 'é\r\nè', 'quoted "x"': '2' }, []],
      [4, { naïve: '3', 'quoted "x"': '日本語' }, []],
    ]);
    for (const size of [1, 2, 3, 5, 11]) expect(await csv(text, {}, size)).toEqual(whole);
  });
});
