import { describe, expect, it } from 'vitest';
import type { InputOptionsInput } from '../../input/spec.ts';
import { readText, summarize } from './read-all.ts';

const json = (text: string | Buffer, options: InputOptionsInput = {}, chunkSize?: number) => readText(text, options, { key: 'dump.json' }, chunkSize).then(summarize);

describe('reading a JSON array', () => {
  it('gives one record per element, numbered from 1, whatever the chunk size', async () => {
    const text = '[\n  {"id": 1, "tags": ["a", "b"]},\n  {"id": 2, "nested": {"x": [1, {"y": null}]}},\n  {"name": "Zoë ✓", "n": -1.5e3}\n]\n';
    const expected = [
      [1, { id: 1, tags: ['a', 'b'] }, []],
      [2, { id: 2, nested: { x: [1, { y: null }] } }, []],
      [3, { name: 'Zoë ✓', n: -1500 }, []],
    ];
    for (const chunkSize of [undefined, 1, 7]) expect(await json(text, {}, chunkSize)).toEqual(expected);
  });

  it('an element that is not an object is a record with the reason', async () => {
    expect(await json('[{"id":1}, [1], "s", 2, true, null, {"id":2}]')).toEqual([
      [1, { id: 1 }, []],
      [2, {}, ['element 2 is an array, not a JSON object']],
      [3, {}, ['element 3 is a string, not a JSON object']],
      [4, {}, ['element 4 is a number, not a JSON object']],
      [5, {}, ['element 5 is a boolean, not a JSON object']],
      [6, {}, ['element 6 is null, not a JSON object']],
      [7, { id: 2 }, []],
    ]);
  });

  it('an empty array, or an empty object, has no records', async () => {
    expect(await json('[]')).toEqual([]);
    expect(await json(' \n ')).toEqual([]);
    expect(await json('')).toEqual([]);
  });

  it('a truncated document: the elements before, then where it ends', async () => {
    const expected = [[1, { id: 1 }, []], 'JSON_MALFORMED: invalid JSON at line 3 (byte 24): the document ends before its array does (is it truncated?)'];
    for (const chunkSize of [undefined, 1, 5]) expect(await json('[\n{"id":1},\n{"id":2, "na', {}, chunkSize)).toEqual(expected);
    // The last element was read whole; only the closing bracket is missing.
    expect(await json('[{"id":1},{"id":2}')).toEqual([
      [1, { id: 1 }, []],
      [2, { id: 2 }, []],
      'JSON_MALFORMED: invalid JSON at line 1 (byte 18): the document ends before its array does (is it truncated?)',
    ]);
  });

  it('invalid JSON: the elements before, then the line and byte, never the value', async () => {
    expect(await json('[{"id":1},\n{"email": alice@example.com}]')).toEqual([
      [1, { id: 1 }, []],
      'JSON_MALFORMED: invalid JSON at line 2 (byte 21): unexpected character "a"',
    ]);
    expect(await json('[{"id":1},,{"id":2}]')).toEqual([[1, { id: 1 }, []], "JSON_MALFORMED: invalid JSON at line 1 (byte 10): unexpected ','"]);
    expect(await json('[{"id":1} {"secret":"s3cr3t"}]')).toEqual([[1, { id: 1 }, []], "JSON_MALFORMED: invalid JSON at line 1 (byte 10): unexpected '{'"]);
    expect(await json('[{"a":"b" : "secret"}]')).toEqual(["JSON_MALFORMED: invalid JSON at line 1 (byte 10): unexpected ':'"]);
  });

  it('anything after the array is an error, even in a later chunk; white space is not', async () => {
    expect(await json('[{"id":1}]\n\n')).toEqual([[1, { id: 1 }, []]]);
    for (const chunkSize of [undefined, 1]) {
      expect(await json('[{"id":1}]\n[{"id":2}]', {}, chunkSize)).toEqual([[1, { id: 1 }, []], 'JSON_MALFORMED: invalid JSON at line 2 (byte 11): unexpected character "["']);
    }
  });

  it('a document that is not an array is refused, pointing to NDJSON for objects', async () => {
    expect(await json('{"id":1}\n{"id":2}\n')).toEqual([
      'JSON_NOT_ARRAY: expected a JSON array of objects, found an object at line 1 (byte 0); for one object per line, set format: ndjson',
    ]);
    expect(await json('  "text"')).toEqual(['JSON_NOT_ARRAY: expected a JSON array of objects, found a string at line 1 (byte 2)']);
  });

  it('rejects the element holding bytes that are not UTF-8, and only that one', async () => {
    const bytes = Buffer.concat([Buffer.from('[{"a":"ok"},"caf'), Buffer.from([0xe9]), Buffer.from('",{"a":"x'), Buffer.from([0xff]), Buffer.from('"},{"a":"ok"}]')]);
    for (const chunkSize of [undefined, 1, 3]) {
      expect(await json(bytes, {}, chunkSize)).toEqual([
        [1, { a: 'ok' }, []],
        [2, {}, ['element 2 is a string, not a JSON object', 'not valid UTF-8: byte 0xE9 at offset 16; if the file is Latin-1 or Windows-1252, set encoding: latin1']],
        [3, { a: 'x\ufffd' }, ['not valid UTF-8: byte 0xFF at offset 26; if the file is Latin-1 or Windows-1252, set encoding: latin1']],
        [4, { a: 'ok' }, []],
      ]);
    }
  });

  it('an element past maxRecordBytes refuses the rest of the document', async () => {
    const big = `{"a":"${'x'.repeat(4000)}"}`;
    // The element started chunks ago: its byte is known, its line no longer.
    expect(await json(`[{"id":1},\n${big}]`, { maxRecordBytes: 1024 }, 512)).toEqual([
      [1, { id: 1 }, []],
      'RECORD_TOO_LARGE: element 2, from byte 9, is longer than 1024 bytes (maxRecordBytes)',
    ]);
    // In one chunk, the elements before the long one still come first.
    expect(await json(`[{"id":1},${big}]`, { maxRecordBytes: 1024 })).toEqual([
      [1, { id: 1 }, []],
      'RECORD_TOO_LARGE: element 2, from line 1 (byte 9), is longer than 1024 bytes (maxRecordBytes)',
    ]);
  });

  it('keeps a __proto__ key as data', async () => {
    const { records } = await readText('[{"__proto__":{"admin":true}}]', {}, { key: 'a.json' });
    expect(Object.keys(records[0]!.values)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(records[0]!.values)).toBe(Object.prototype);
  });
});
