import { createReadStream } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputOptionsInput } from '../../input/spec.ts';
import { corpus } from '../../../../test/support/paths.ts';
import type { ReadOutcome } from './read-all.ts';
import { readAll, readText } from './read-all.ts';

/**
 * Every file of the csv-bad-data corpus (see its SOURCES.md), read as an upload under its own
 * name with the default options: each either gives its records (some with problems) or is refused
 * with an InputError that says why and where. Each file's outcome is written down here, so a file
 * added to the corpus without one fails the test until someone decides what it should give.
 */
const root = corpus('csv-bad-data');

interface Expected {
  /** Records read (before the error, if there is one). */
  records: number;
  /** Of those, how many have problems (and are rejected with them). */
  withProblems?: number;
  /** `CODE: message` of the InputError that ends the read. */
  error?: string;
}

const unknownFormat = (key: string) =>
  `INPUT_FORMAT_UNKNOWN: cannot tell the format of "${key}" (no content type): expected a key ending in .csv, .tsv, .ndjson, .jsonl or .json, or a CSV, NDJSON or JSON content type; set the input's format (csv, ndjson or json)`;
const notText = (key: string, what: string) => `INPUT_NOT_TEXT: "${key}" is ${what} (by its extension), not CSV or JSON text: export or decompress it to CSV, NDJSON or JSON first`;

const EXPECTED: Readonly<Record<string, Expected>> = {
  // The corpus's own documentation and licences are not data: refused, saying to declare a format.
  'SOURCES.md': { records: 0, error: unknownFormat('SOURCES.md') },
  'csvkit/COPYING': { records: 0, error: unknownFormat('csvkit/COPYING') },
  'csvlint.rb/LICENSE.md': { records: 0, error: unknownFormat('csvlint.rb/LICENSE.md') },
  'node-csv/LICENSE': { records: 0, error: unknownFormat('node-csv/LICENSE') },

  // csvkit
  'csvkit/examples/bad.csv': { records: 3, withProblems: 2 },
  'csvkit/examples/bad_skip_lines.csv': { records: 3, withProblems: 2 },
  'csvkit/examples/blanks.csv': { records: 1 },
  'csvkit/examples/date_like_number.csv': { records: 1 },
  'csvkit/examples/dummy.csv': { records: 1 },
  'csvkit/examples/dummy.csv.bz2': { records: 0, error: notText('csvkit/examples/dummy.csv.bz2', 'bzip2-compressed') },
  'csvkit/examples/dummy.csv.gz': { records: 0, error: notText('csvkit/examples/dummy.csv.gz', 'gzip-compressed') },
  'csvkit/examples/dummy.tsv': { records: 1 },
  'csvkit/examples/dummy_col_shuffled_ragged.csv': { records: 1 },
  // A single newline: no header, no records, nothing wrong.
  'csvkit/examples/empty.csv': { records: 0 },
  'csvkit/examples/iris.csv': { records: 150 },
  'csvkit/examples/mac_newlines.csv': { records: 2 },
  // Its one row is taken as the header (header: true is the default); see the test below for header: false.
  'csvkit/examples/no_header_row.csv': { records: 0 },
  'csvkit/examples/null_byte.csv': { records: 1 },
  'csvkit/examples/optional_quote_characters.csv': { records: 1 },
  'csvkit/examples/realdata_ks_1033_data.csv': { records: 1575 },
  'csvkit/examples/sniff_limit.csv': { records: 1 },
  'csvkit/examples/sort_ints_nulls.csv': { records: 3 },
  'csvkit/examples/test_date_format.csv': { records: 2 },
  'csvkit/examples/test_empty_columns.csv': {
    records: 0,
    error: 'CSV_HEADER_INVALID: line 1: the header row must name each column once: column 4 has no name; column 5 has no name',
  },
  'csvkit/examples/test_empty_columns_long_row.csv': { records: 1, withProblems: 1 },
  'csvkit/examples/test_empty_columns_short_row.csv': { records: 1, withProblems: 1 },
  'csvkit/examples/test_extra_header.csv': { records: 1, withProblems: 1 },
  'csvkit/examples/test_header_newline.csv': { records: 1 },
  'csvkit/examples/test_ignore_case.csv': { records: 5 },
  'csvkit/examples/test_latin1.csv': { records: 2, withProblems: 1 },
  'csvkit/examples/test_locale.csv': { records: 1 },
  'csvkit/examples/test_no_leading_zeroes.csv': { records: 1 },
  'csvkit/examples/test_numeric_date_format.csv': { records: 2 },
  'csvkit/examples/test_precision.csv': { records: 1 },
  'csvkit/examples/test_skip_lines.csv': { records: 1 },
  'csvkit/examples/test_utf16_big.csv': { records: 2 },
  'csvkit/examples/test_utf16_little.csv': { records: 2 },
  'csvkit/examples/test_utf8.csv': { records: 2 },
  'csvkit/examples/test_utf8_bom.csv': { records: 2 },

  // csvlint.rb
  'csvlint.rb/features-fixtures/cr-line-endings.csv': { records: 2 },
  'csvlint.rb/features-fixtures/crlf-line-endings.csv': { records: 2 },
  'csvlint.rb/features-fixtures/inconsistent-line-endings-unquoted.csv': { records: 2 },
  'csvlint.rb/features-fixtures/inconsistent-line-endings.csv': { records: 2 },
  // Windows-1252 read as UTF-8: the header itself is not valid, and it names the columns.
  'csvlint.rb/features-fixtures/invalid-byte-sequence.csv': {
    records: 0,
    error: 'CSV_HEADER_INVALID: line 1: the header row is not valid UTF-8: byte 0xF3 at offset 33 (and 1 more); if the file is Latin-1 or Windows-1252, set encoding: latin1',
  },
  // `"3" "` is kept as written (relaxQuotes); see the test below for relaxQuotes: false.
  'csvlint.rb/features-fixtures/invalid_many_rows.csv': { records: 10 },
  'csvlint.rb/features-fixtures/lf-line-endings.csv': { records: 2 },
  'csvlint.rb/features-fixtures/spreadsheet.xls': { records: 0, error: notText('csvlint.rb/features-fixtures/spreadsheet.xls', 'an Excel workbook') },
  'csvlint.rb/features-fixtures/spreadsheet.xlsx': { records: 0, error: notText('csvlint.rb/features-fixtures/spreadsheet.xlsx', 'an Excel workbook') },
  // A title row above the real header: its empty names refuse the file.
  'csvlint.rb/features-fixtures/title-row.csv': {
    records: 0,
    error: 'CSV_HEADER_INVALID: line 1: the header row must name each column once: column 2 has no name; column 3 has no name',
  },
  'csvlint.rb/features-fixtures/valid.csv': { records: 2 },
  'csvlint.rb/features-fixtures/valid_many_rows.csv': { records: 6 },
  'csvlint.rb/features-fixtures/white space in filename.csv': { records: 2 },
  'csvlint.rb/features-fixtures/windows-line-endings.csv': { records: 1 },

  // node-csv
  'node-csv/csv-parse-samples/columns-discovery.in': { records: 0, error: unknownFormat('node-csv/csv-parse-samples/columns-discovery.in') },
  'node-csv/csv-parse-samples/fs_read.csv': { records: 2 },
  'node-csv/demo-issues/265.tubs.csv': { records: 135 },
  'node-csv/demo-issues/327.cws.buf.csv': { records: 1 },
  'node-csv/demo-issues/327.cws.csv': { records: 1, withProblems: 1 },
  'node-csv/demo-issues/327.stringifier.csv': { records: 1, withProblems: 1 },
  'node-csv/demo-issues/365-utf16le-bom-windows.csv': { records: 1 },
  'node-csv/demo-issues/365-utf8-bom-windows.csv': { records: 1 },
  'node-csv/demo-issues/399.csv': { records: 0, error: 'CSV_HEADER_INVALID: line 1: the header row must name each column once: column 1 has no name' },
  'node-csv/demo-issues/411.csv': { records: 3, withProblems: 1 },
  // GeoNames' countryInfo: tab-separated, its header inside 50 `#` comment lines. Read as a comma
  // CSV, as its name says, the first comment line is the header: every row with a comma is ragged.
  'node-csv/demo-issues/415.csv': { records: 301, withProblems: 214 },

  // papaparse
  'papaparse/docs-resources/malformed.tsv': {
    records: 7,
    withProblems: 2,
    error: 'CSV_MALFORMED: line 9: a quoted field in the record starting here is never closed, so the rest of the file (to line 10) cannot be read as rows; look for a stray quote',
  },
  // The test cases, extracted as JSON arrays of objects: read as JSON, one record per case.
  'papaparse/test-cases.CORE_PARSER_TESTS.json': { records: 63 },
  'papaparse/test-cases.PARSE_TESTS.json': { records: 97 },
  'papaparse/tests/long-sample.csv': { records: 7 },
  'papaparse/tests/sample-header.csv': { records: 2 },
  'papaparse/tests/sample.csv': { records: 1 },
  'papaparse/tests/utf-8-bom-sample.csv': { records: 1 },
  'papaparse/tests/verylong-sample.csv': { records: 2000, withProblems: 4 },
};

const files = (await readdir(root, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile())
  .map((entry) => relative(root, join(entry.parentPath, entry.name)))
  .sort();

function read(key: string, options: InputOptionsInput = {}): Promise<ReadOutcome> {
  return readAll(createReadStream(join(root, key)), options, { key });
}

const outcomeOf = ({ records, error }: ReadOutcome): Expected => {
  const withProblems = records.filter((record) => record.problems.length > 0).length;
  return { records: records.length, ...(withProblems > 0 ? { withProblems } : {}), ...(error ? { error: `${error.code}: ${error.message}` } : {}) };
};

describe('csv-bad-data: every file parses or is refused with a reason', () => {
  it('has an expected outcome for every file, and no outcome for a file that is gone', () => {
    expect(files.filter((file) => !(file in EXPECTED))).toEqual([]);
    expect(Object.keys(EXPECTED).filter((file) => !files.includes(file))).toEqual([]);
  });

  it.each(files.filter((file) => file in EXPECTED))('%s', async (file) => {
    const outcome = await read(file);
    expect(outcomeOf(outcome)).toEqual(EXPECTED[file]);
    // Rows come in file order, each once: nothing dropped, nothing read twice.
    const rows = outcome.records.map((record) => record.row);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(new Set(rows).size).toBe(rows.length);
  });
});

describe('csv-bad-data: what the records hold', () => {
  const valuesOf = async (file: string, options: InputOptionsInput = {}) => (await read(file, options)).records.map((record) => record.values);

  it('UTF-8, UTF-8 with a BOM, UTF-16LE and UTF-16BE with BOMs read the same; the BOM is not in the first name', async () => {
    const utf8 = await valuesOf('csvkit/examples/test_utf8.csv');
    expect(utf8).toEqual([
      { foo: '1', bar: '2', baz: '3' },
      { foo: '4', bar: '5', baz: 'ʤ' },
    ]);
    expect(await valuesOf('csvkit/examples/test_utf8_bom.csv')).toEqual(utf8);
    // The UTF-16 twins name their columns a, b, c.
    const abc = utf8.map((row) => ({ a: row.foo, b: row.bar, c: row.baz }));
    expect(await valuesOf('csvkit/examples/test_utf16_little.csv')).toEqual(abc);
    expect(await valuesOf('csvkit/examples/test_utf16_big.csv')).toEqual(abc);
    expect(await valuesOf('node-csv/demo-issues/365-utf16le-bom-windows.csv')).toEqual([{ a: '1', b: '2', c: '3' }]);
    expect(await valuesOf('node-csv/demo-issues/365-utf8-bom-windows.csv')).toEqual([{ a: '1', b: '2', c: '3' }]);
  });

  it('Latin-1 read as UTF-8 rejects the rows it spoils, naming the byte; declared, it reads like its UTF-8 twin', async () => {
    const asUtf8 = await read('node-csv/demo-issues/327.cws.csv');
    expect(asUtf8.records.map((record) => record.problems)).toEqual([
      ['not valid UTF-8: byte 0xE7 at offset 21 (and 3 more); if the file is Latin-1 or Windows-1252, set encoding: latin1'],
    ]);
    const twin = await valuesOf('node-csv/demo-issues/327.cws.buf.csv');
    expect(twin).toEqual([{ field1: 'Acentuação1', field2: 'acentuação2' }]);
    expect(await valuesOf('node-csv/demo-issues/327.cws.csv', { encoding: 'latin1' })).toEqual(twin);
    expect(await valuesOf('csvkit/examples/test_latin1.csv', { encoding: 'latin1' })).toEqual([
      { a: '1', b: '2', c: '3' },
      { a: '4', b: '5', c: '©' },
    ]);
  });

  it('a Latin-1 header with an empty name is still refused once the encoding is right', async () => {
    const { error } = await read('csvlint.rb/features-fixtures/invalid-byte-sequence.csv', { encoding: 'latin1' });
    expect(error?.message).toBe('line 1: the header row must name each column once: column 7 has no name');
  });

  it('CR-only line endings, with a CR inside a quoted field', async () => {
    const { records } = await read('csvkit/examples/mac_newlines.csv');
    expect(records.map((record) => [record.row, record.values])).toEqual([
      [2, { a: '1', b: '2', c: '3' }],
      [3, { a: 'Once upon\ra time', b: '5', c: '6' }],
    ]);
  });

  it('a header cell with control characters and line breaks inside its quotes', async () => {
    const { records } = await read('csvkit/examples/test_header_newline.csv');
    // Three LFs and three lone CRs in the header: a lone CR ends a line too, so the row is on line 8.
    expect(records.map((record) => [record.row, record.values])).toEqual([[8, { '\t\n\v\f\r start \t\n\v\f\r end \t\n\v\f\r': 'd', b: 'e', c: 'f' }]]);
  });

  it('ragged rows keep every field: missing ones absent, extra ones by position', async () => {
    const { records } = await read('csvkit/examples/bad.csv');
    expect(records.map((record) => [record.row, record.values, record.problems])).toEqual([
      [2, { column_a: '1', column_b: '27', column_c: '', '#4': "I'm too long!" }, ["expected 3 fields (the header's), found 4"]],
      [3, { column_a: '', column_b: "I'm too short!" }, ["expected 3 fields (the header's), found 2"]],
      [4, { column_a: '0', column_b: 'mixed types.... uh oh', column_c: '17' }, []],
    ]);
    const issue411 = await read('node-csv/demo-issues/411.csv');
    expect(issue411.records.map((record) => [record.row, record.problems])).toEqual([
      [2, []],
      [3, ["expected 5 fields (the header's), found 6"]],
      [4, []],
    ]);
  });

  it('a NUL byte is a character like any other', async () => {
    expect(await valuesOf('csvkit/examples/null_byte.csv')).toEqual([{ a: '\0', b: '2', c: '3' }]);
  });

  it('a stray quote: kept as written by default, the row rejected with relaxQuotes: false', async () => {
    const relaxed = await read('csvlint.rb/features-fixtures/invalid_many_rows.csv');
    expect(relaxed.records[2]).toEqual({ row: 4, values: { Foo: '1', Bar: '2', Baz: '"3" "' }, problems: [] });
    const strict = await read('csvlint.rb/features-fixtures/invalid_many_rows.csv', { csv: { relaxQuotes: false } });
    expect(strict.records.map((record) => record.row)).toEqual([2, 3, 4, 5, 6, 7, 9, 10, 11, 12]);
    expect(strict.records[2]).toEqual({ row: 4, values: {}, problems: ['cannot read the row: text after the closing quote of field 3 (Baz), before the next delimiter'] });
  });

  it('the malformed TSV: the rows before the unclosed quote, then the error naming its line', async () => {
    const { records } = await read('papaparse/docs-resources/malformed.tsv');
    expect(records.map((record) => [record.row, record.values.site, record.problems])).toEqual([
      [2, '1V4', []],
      [3, 'BTV', ["expected 8 fields (the header's), found 9"]],
      [4, 'MVL', []],
      [5, 'MPV', []],
      [6, 'MSS', ["expected 8 fields (the header's), found 7"]],
      [7, 'PBG', []],
      [8, 'RUT', []],
    ]);
  });

  it('a file without a header row, its columns declared', async () => {
    const { records } = await read('csvkit/examples/no_header_row.csv', { csv: { header: false, columns: ['a', 'b', 'c'] } });
    expect(records).toEqual([{ row: 1, values: { a: '1', b: '2', c: '3' }, problems: [] }]);
  });

  it('a file of another extension reads once its format is declared', async () => {
    expect(await valuesOf('node-csv/csv-parse-samples/columns-discovery.in', { format: 'csv' })).toEqual([
      { Foo: 'first', Bar: 'row', Baz: 'items' },
      { Foo: 'second', Bar: 'row', Baz: 'items' },
    ]);
  });

  it('compressed files and workbooks declared as CSV are recognised by their bytes', async () => {
    const message = async (file: string) => (await read(file, { format: 'csv' })).error?.message;
    expect(await message('csvkit/examples/dummy.csv.gz')).toBe('the object is gzip-compressed, not CSV or JSON text: export or decompress it to CSV, NDJSON or JSON first');
    expect(await message('csvkit/examples/dummy.csv.bz2')).toBe('the object is bzip2-compressed, not CSV or JSON text: export or decompress it to CSV, NDJSON or JSON first');
    expect(await message('csvlint.rb/features-fixtures/spreadsheet.xlsx')).toBe(
      'the object is a ZIP archive (an Excel .xlsx workbook or zipped files), not CSV or JSON text: export or decompress it to CSV, NDJSON or JSON first',
    );
    expect(await message('csvlint.rb/features-fixtures/spreadsheet.xls')).toBe('the object is an OLE2 compound file (an Excel .xls workbook), not CSV or JSON text: export or decompress it to CSV, NDJSON or JSON first');
  });

  it('the papaparse case files read as JSON arrays: one record per case, as written', async () => {
    const cases = JSON.parse(await readFile(join(root, 'papaparse/test-cases.CORE_PARSER_TESTS.json'), 'utf8')) as unknown[];
    expect(await valuesOf('papaparse/test-cases.CORE_PARSER_TESTS.json')).toEqual(cases);
  });

  it('reads the same whole and a byte at a time', async () => {
    for (const file of ['csvkit/examples/mac_newlines.csv', 'csvkit/examples/test_utf16_big.csv', 'node-csv/demo-issues/327.cws.csv', 'papaparse/docs-resources/malformed.tsv']) {
      const bytes = await readFile(join(root, file));
      const whole = await readText(bytes, {}, { key: file });
      expect(await readText(bytes, {}, { key: file }, 1)).toEqual(whole);
    }
  });
});
