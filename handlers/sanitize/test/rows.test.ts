import { describe, expect, it } from 'vitest';
import { problemKey } from '../rules/record-cleaner.ts';
import { record, sanitizeAll } from './helpers.ts';

describe('rows', () => {
  it('have the declared columns in declared order, then kept unknown ones in input order', async () => {
    const { rows } = await sanitizeAll({ columns: { b: {}, a: { type: 'integer' } } }, [record(2, { z: 'z', a: '1', y: 'y', b: 'B' })]);
    expect(Object.keys(rows[0]!)).toEqual(['b', 'a', 'z', 'y']);
    expect(rows[0]).toEqual({ b: 'B', a: 1, z: 'z', y: 'y' });
  });

  it('leave unknown columns as they came with keep, and out with drop', async () => {
    const keep = await sanitizeAll({ columns: { a: {} } }, [record(2, { a: ' x ', extra: ' raw ' })]);
    expect(keep.rows).toEqual([{ a: 'x', extra: ' raw ' }]);
    const drop = await sanitizeAll({ columns: { a: {} }, unknownColumns: 'drop' }, [record(2, { a: ' x ', extra: ' raw ' })]);
    expect(drop.rows).toEqual([{ a: 'x' }]);
  });

  it('have every declared column, null when empty, also when the input lacks it', async () => {
    const { rows } = await sanitizeAll({ columns: { a: {}, b: { type: 'decimal' } } }, [record(2, {})]);
    expect(rows).toEqual([{ a: null, b: null }]);
  });

  it('take a column named __proto__ as a column', async () => {
    const values = JSON.parse('{"__proto__": "p", "a": "1"}') as Record<string, unknown>;
    const { rows } = await sanitizeAll({ columns: { a: {} } }, [record(2, values)]);
    expect(Object.keys(rows[0]!)).toEqual(['a', '__proto__']);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
  });
});

describe('rejections', () => {
  it('give every reason of the row, in column order, with its position', async () => {
    const { rejected, rows, summary } = await sanitizeAll(
      { columns: { id: { required: true }, amount: { type: 'decimal', min: 0 }, currency: { type: 'enum', values: ['EUR'] } } },
      [record(7, { id: '', amount: '-1', currency: 'XYZ' }), record(8, { id: 'ok', amount: '1', currency: 'EUR' })],
    );
    expect(rows).toEqual([{ id: 'ok', amount: 1, currency: 'EUR' }]);
    expect(rejected).toEqual([
      {
        kind: 'rejected',
        origin: { source: 's3://b/k#e', position: '7' },
        reasons: [
          { field: 'id', message: 'expected a value (the column is required), found an empty value' },
          { field: 'amount', message: 'expected a number >= 0, found a smaller one' },
          { field: 'currency', message: 'expected one of EUR, found another value (text of 3 characters)' },
        ],
        record: { id: '', amount: '-1', currency: 'XYZ' },
      },
    ]);
    expect(summary).toEqual({
      rowsIn: 2,
      clean: 1,
      rejected: 1,
      deduplicated: 0,
      rejectedByReason: { 'id: missing': 1, 'amount: below minimum': 1, 'currency: not an allowed value': 1 },
      redacted: { email: 0, phone: 0, card: 0 },
    });
  });

  it('keep the quarantine record in input order, raw, with unknown columns as configured', async () => {
    const keep = await sanitizeAll({ columns: { n: { type: 'integer' } } }, [record(2, { x: ' 1 ', n: 'one' })]);
    expect(keep.rejected[0]!.record).toEqual({ x: ' 1 ', n: 'one' });
    expect(Object.keys(keep.rejected[0]!.record as object)).toEqual(['x', 'n']);
    const drop = await sanitizeAll({ columns: { n: { type: 'integer' } }, unknownColumns: 'drop' }, [record(2, { x: ' 1 ', n: 'one' })]);
    expect(drop.rejected[0]!.record).toEqual({ n: 'one' });
  });

  it('count input problems by a generalized key, without their numbers or quoted text', async () => {
    expect(problemKey('expected 8 fields (the header\'s), found 9')).toBe('expected N fields (the header\'s), found N');
    expect(problemKey('not valid UTF-8: byte 0xFF at offset 27 (and 1 more); if the file is Latin-1 or Windows-1252, set encoding: latin1')).toBe(
      'not valid UTF-N: byte 0x… at offset N (and N more); if the file is Latin-N or Windows-N, set encoding: latinN',
    );
    expect(problemKey("line 3: unexpected token 'x' at column 8")).toBe("line N: unexpected token '…' at column N");
    const { summary } = await sanitizeAll({ columns: { a: {} } }, [record(2, { a: '1' }, ['expected 1 field (the header\'s), found 2']), record(3, { a: '1' }, ['expected 1 field (the header\'s), found 3'])]);
    expect(summary.rejectedByReason).toEqual({ "record: expected N field (the header's), found N": 2 });
  });
});

describe('dedupe', () => {
  const config = { columns: { id: { required: true, case: 'lower' }, v: { type: 'integer' } }, dedupeBy: ['id'] } as const;

  it('keeps the first clean row of a key and counts the others', async () => {
    const { rows, summary } = await sanitizeAll(config, [record(2, { id: 'A', v: '1' }), record(3, { id: ' a ', v: '2' }), record(4, { id: 'b', v: '3' }), record(5, { id: 'a', v: '4' })]);
    expect(rows).toEqual([{ id: 'a', v: 1 }, { id: 'b', v: 3 }]);
    expect(summary).toMatchObject({ rowsIn: 4, clean: 2, rejected: 0, deduplicated: 2 });
  });

  it('rejects a bad row rather than calling it a duplicate, and keeps a later good one of its key', async () => {
    const { rows, summary } = await sanitizeAll(config, [record(2, { id: 'a', v: 'x' }), record(3, { id: 'a', v: '2' }), record(4, { id: 'a', v: 'y' })]);
    expect(rows).toEqual([{ id: 'a', v: 2 }]);
    expect(summary).toMatchObject({ rowsIn: 3, clean: 1, rejected: 2, deduplicated: 0 });
  });

  it('uses several columns, never takes a row with an empty key for a duplicate, and reads unknown columns raw', async () => {
    const pair = await sanitizeAll({ columns: { a: {}, b: {} }, dedupeBy: ['a', 'b'] }, [record(2, { a: 'x', b: 'y' }), record(3, { a: 'x', b: 'z' }), record(4, { a: 'x', b: 'y' }), record(5, { a: 'x', b: '' }), record(6, { a: 'x', b: '' })]);
    expect(pair.summary).toMatchObject({ clean: 4, deduplicated: 1 });
    // ["a,b"] and ["a","b"] are different keys.
    const joined = await sanitizeAll({ columns: { a: {}, b: {} }, dedupeBy: ['a', 'b'] }, [record(2, { a: 'x","y', b: 'z' }), record(3, { a: 'x', b: 'y","z' })]);
    expect(joined.summary).toMatchObject({ clean: 2, deduplicated: 0 });
    const unknown = await sanitizeAll({ columns: { a: {} }, dedupeBy: ['ref'] }, [record(2, { a: '1', ref: 'R1' }), record(3, { a: '2', ref: 'R1' }), record(4, { a: '3', ref: 'r1' })]);
    expect(unknown.rows.map((row) => row.a)).toEqual(['1', '3']);
  });

  it('dedupes hashed PII columns by their clean value', async () => {
    const { rows } = await sanitizeAll({ columns: { email: { type: 'email', case: 'lower', pii: 'hash' } }, dedupeBy: ['email'], salt: { env: 'SLUICE_TEST_SALT' } }, [record(2, { email: 'Ana@example.com' }), record(3, { email: 'ana@EXAMPLE.com' })]);
    expect(rows).toHaveLength(1);
  });
});
