import { describe, expect, it } from 'vitest';
import type { InputOptionsInput } from '../../input/spec.ts';
import { readText, summarize } from './read-all.ts';

const ndjson = (text: string | Buffer, options: InputOptionsInput = {}, chunkSize?: number) => readText(text, options, { key: 'events.ndjson' }, chunkSize).then(summarize);

describe('reading NDJSON', () => {
  it('gives one record per line, numbered by line, blank lines skipped, LF or CRLF', async () => {
    const text = '{"id":1,"tags":["a"]}\r\n\n  \r\n{"id":2,"nested":{"x":null}}\n{"id":3}';
    const expected = [
      [1, { id: 1, tags: ['a'] }, []],
      [4, { id: 2, nested: { x: null } }, []],
      [5, { id: 3 }, []],
    ];
    for (const chunkSize of [undefined, 1, 4]) expect(await ndjson(text, {}, chunkSize)).toEqual(expected);
  });

  it('a line that is not a JSON object is a record with the reason, and reading goes on', async () => {
    expect(await ndjson('{"id":1}\n[1,2]\n"text"\n42\nnull\n{"id": x}\n{"id":2,}\n{"id":3\n{"id":4}\n')).toEqual([
      [1, { id: 1 }, []],
      [2, {}, ['line 2 is an array, not a JSON object']],
      [3, {}, ['line 3 is a string, not a JSON object']],
      [4, {}, ['line 4 is a number, not a JSON object']],
      [5, {}, ['line 5 is null, not a JSON object']],
      [6, {}, ["line 6 is not valid JSON: unexpected token 'x'"]],
      [7, {}, ['line 7 is not valid JSON: expected double-quoted property name at column 9']],
      [8, {}, ["line 8 is not valid JSON: expected ',' or '}' after property value at column 8"]],
      [9, { id: 4 }, []],
    ]);
  });

  it('never quotes the line in its reasons: it may hold personal data', async () => {
    const long = `{"email": alice@example.com, "note": "${'x'.repeat(100)}"}`;
    const { records } = await readText(`{"email": alice@example.com}\n${long}\n`, {}, { key: 'a.ndjson' });
    expect(records.map((record) => record.problems)).toEqual([["line 1 is not valid JSON: unexpected token 'a'"], ["line 2 is not valid JSON: unexpected token 'a'"]]);
  });

  it('reads long lines across many chunks', async () => {
    const long = 'x'.repeat(200_000);
    expect(await ndjson(`{"a":"${long}"}\n{"b":1}\n`, {}, 4096)).toEqual([
      [1, { a: long }, []],
      [2, { b: 1 }, []],
    ]);
  });

  it('a line past maxRecordBytes is rejected alone, without being kept', async () => {
    const long = `{"a":"${'x'.repeat(3000)}"}`;
    const expected = [
      [1, { id: 1 }, []],
      [2, {}, ['line 2 is longer than 1024 bytes (maxRecordBytes)']],
      [3, { id: 3 }, []],
      [4, {}, ['line 4 is longer than 1024 bytes (maxRecordBytes)']],
    ];
    for (const chunkSize of [undefined, 100, 1000]) expect(await ndjson(`{"id":1}\n${long}\n{"id":3}\n${long}`, { maxRecordBytes: 1024 }, chunkSize)).toEqual(expected);
  });

  it('keeps a __proto__ key as data', async () => {
    const { records } = await readText('{"__proto__":{"admin":true}}\n', {}, { key: 'a.ndjson' });
    expect(Object.keys(records[0]!.values)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(records[0]!.values)).toBe(Object.prototype);
  });

  it('rejects the line holding bytes that are not UTF-8, and only that line', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"ok"}\n{"a":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"a":"ok"}\n')]);
    for (const chunkSize of [undefined, 1, 5]) {
      expect(await ndjson(bytes, {}, chunkSize)).toEqual([
        [1, { a: 'ok' }, []],
        [2, { a: 'caf\ufffd' }, ['not valid UTF-8: byte 0xE9 at offset 20; if the file is Latin-1 or Windows-1252, set encoding: latin1']],
        [3, { a: 'ok' }, []],
      ]);
    }
  });

  it('an empty object has no records', async () => {
    expect(await ndjson('')).toEqual([]);
    expect(await ndjson('\n\r\n')).toEqual([]);
  });
});
