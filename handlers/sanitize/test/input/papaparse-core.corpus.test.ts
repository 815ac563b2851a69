import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { corpus } from '../../../../test/support/paths.ts';
import { readText } from './read-all.ts';

/**
 * PapaParse's core parser cases (csv-bad-data/papaparse), as a second conformance suite for the
 * CSV reader: each input, read without a header and with as many declared columns as its widest
 * expected row, must give the expected rows field for field. Only the cases whose options the
 * reader has (a delimiter) are compared; comments, "fast mode", previews and PapaParse's header
 * renaming are PapaParse features.
 */
interface Case {
  description: string;
  input: string;
  config?: Record<string, unknown>;
  expected: { data: string[][]; errors: unknown[] };
}

const cases = JSON.parse(await readFile(corpus('csv-bad-data', 'papaparse', 'test-cases.CORE_PARSER_TESTS.json'), 'utf8')) as Case[];
const COMPARABLE_OPTIONS = new Set(['delimiter', 'newline']);

/**
 * Where PapaParse and csv-parse read the same text differently, on purpose: PapaParse gives a
 * last empty row for a file ending in a line break, where csv-parse (and RFC 4180) see the end of
 * the last row.
 */
const DIFFERENT_BY_DESIGN = new Set(['One column input with empty fields']);

const comparable = cases.filter(
  (c) => c.expected.errors.length === 0 && Object.keys(c.config ?? {}).every((key) => COMPARABLE_OPTIONS.has(key)) && !DIFFERENT_BY_DESIGN.has(c.description),
);
const withErrors = cases.filter((c) => c.expected.errors.length > 0);

function readCase(c: Case) {
  const width = Math.max(1, ...c.expected.data.map((row) => row.length));
  const columns = Array.from({ length: width }, (_, i) => `c${i + 1}`);
  const delimiter = typeof c.config?.delimiter === 'string' ? c.config.delimiter : undefined;
  return readText(c.input, { format: 'csv', csv: { header: false, columns, skipEmptyLines: false, ...(delimiter ? { delimiter } : {}) } });
}

describe('PapaParse core cases', () => {
  it('compares most of them', () => {
    expect(comparable.length).toBeGreaterThanOrEqual(35);
  });

  it.each(comparable.map((c) => [c.description, c] as const))('%s', async (_description, c) => {
    const { records, error } = await readCase(c);
    expect(error).toBeUndefined();
    // A short or long row is still read whole: its fields in order, the extra ones after the columns.
    expect(records.map((record) => Object.values(record.values))).toEqual(c.expected.data);
  });

  it.each(withErrors.map((c) => [c.description, c] as const))('malformed: %s gives rows or a reason, never a crash', async (_description, c) => {
    const { records, error } = await readCase(c);
    expect(records.length > 0 || error !== undefined).toBe(true);
    if (error) expect(error.code).toBe('CSV_MALFORMED');
  });
});
