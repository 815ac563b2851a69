import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../shared/contract/errors.ts';
import { defaultDelimiter, detectFormat } from '../../input/detect-format.ts';
import { readText, summarize } from './read-all.ts';

function failureOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('detectFormat', () => {
  it('takes the declared format over anything else', () => {
    expect(detectFormat('ndjson', { key: 'orders.csv', contentType: 'application/json' })).toBe('ndjson');
  });

  it('reads the key extension, in any case, of the last path segment only', () => {
    expect(detectFormat(undefined, { key: 'uploads/orders.csv' })).toBe('csv');
    expect(detectFormat(undefined, { key: 'ORDERS.TSV' })).toBe('csv');
    expect(detectFormat(undefined, { key: 'events/2024-05-01.ndjson' })).toBe('ndjson');
    expect(detectFormat(undefined, { key: 'events/2024-05-01.jsonl' })).toBe('ndjson');
    expect(detectFormat(undefined, { key: 'dump.json' })).toBe('json');
    expect(detectFormat(undefined, { key: 'v1.csv/readme', contentType: 'text/csv' })).toBe('csv');
  });

  it('falls back on the content type, parameters and case ignored', () => {
    expect(detectFormat(undefined, { key: 'upload-1234', contentType: 'Text/CSV; charset=utf-8' })).toBe('csv');
    expect(detectFormat(undefined, { key: 'export.txt', contentType: 'text/tab-separated-values' })).toBe('csv');
    expect(detectFormat(undefined, { key: 'stream', contentType: 'application/x-ndjson' })).toBe('ndjson');
    expect(detectFormat(undefined, { contentType: 'application/json' })).toBe('json');
  });

  it('refuses an object whose format it cannot tell, saying what to set', () => {
    const error = failureOf(() => detectFormat(undefined, { key: 'orders/2024-05-01.dat', contentType: 'binary/octet-stream' }));
    expect([error.code, error.message, error.permanent]).toEqual([
      'INPUT_FORMAT_UNKNOWN',
      'cannot tell the format of "orders/2024-05-01.dat" (content type "binary/octet-stream"): expected a key ending in .csv, .tsv, .ndjson, .jsonl or .json, or a CSV, NDJSON or JSON content type; set the input\'s format (csv, ndjson or json)',
      true,
    ]);
    expect(failureOf(() => detectFormat(undefined, {})).message).toMatch(/^cannot tell the format of the object \(no content type\)/);
    // Names of Object's own properties are no extensions.
    expect(failureOf(() => detectFormat(undefined, { key: 'x.constructor' })).code).toBe('INPUT_FORMAT_UNKNOWN');
  });

  it('names a compressed file or a workbook by its extension', () => {
    expect(failureOf(() => detectFormat(undefined, { key: 'orders.csv.gz' })).message).toBe(
      '"orders.csv.gz" is gzip-compressed (by its extension), not CSV or JSON text: export or decompress it to CSV, NDJSON or JSON first',
    );
    expect(failureOf(() => detectFormat(undefined, { key: 'Orders.XLSX' })).code).toBe('INPUT_NOT_TEXT');
  });
});

describe('defaultDelimiter', () => {
  it('is a tab for TSV by key or content type, a known key extension first', () => {
    expect(defaultDelimiter({ key: 'a.tsv' })).toBe('\t');
    expect(defaultDelimiter({ key: 'a.txt', contentType: 'text/tab-separated-values' })).toBe('\t');
    expect(defaultDelimiter({ key: 'a.csv', contentType: 'text/tab-separated-values' })).toBe(',');
    expect(defaultDelimiter({ key: 'a.csv' })).toBe(',');
    expect(defaultDelimiter({})).toBe(',');
  });

  it('is what a .tsv upload is read with, unless one is declared', async () => {
    expect(summarize(await readText('a\tb\n1\t2,3\n', {}, { key: 'x.tsv' }))).toEqual([[2, { a: '1', b: '2,3' }, []]]);
    expect(summarize(await readText('a;b\n1;2\n', { csv: { delimiter: ';' } }, { key: 'x.tsv' }))).toEqual([[2, { a: '1', b: '2' }, []]]);
  });
});
