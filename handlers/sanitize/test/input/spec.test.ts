import { describe, expect, it } from 'vitest';
import { describeIssues } from '../../../../shared/contract/describe-issue.ts';
import type { JsonSchema } from '../../../../shared/workbench/docs/json-schema.ts';
import { configJsonSchema } from '../../../../shared/workbench/docs/json-schema.ts';
import { DEFAULT_MAX_RECORD_BYTES, inputSpec } from '../../input/spec.ts';

/** The messages users see, as the pipeline loader renders them. */
function messagesOf(config: unknown): string[] {
  const result = inputSpec.safeParse(config);
  if (result.success) throw new Error('expected the config to be rejected');
  return describeIssues(result.error.issues, config, inputSpec).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('inputSpec', () => {
  it('applies the defaults', () => {
    expect(inputSpec.parse({})).toEqual({
      encoding: 'utf-8',
      csv: { quote: '"', escape: '"', header: true, relaxQuotes: true, skipEmptyLines: true, relaxColumnCount: true },
      maxRecordBytes: DEFAULT_MAX_RECORD_BYTES,
    });
    expect(DEFAULT_MAX_RECORD_BYTES).toBe(8 * 1024 * 1024);
  });

  it('accepts every option', () => {
    const config = {
      format: 'csv',
      encoding: 'latin1',
      csv: { delimiter: ';', quote: "'", escape: '\\', header: false, columns: ['id', 'name'], relaxQuotes: false, skipEmptyLines: false, relaxColumnCount: false },
      maxRecordBytes: 4096,
    };
    expect(inputSpec.parse(config)).toEqual(config);
  });

  it('refuses what cannot work, saying why', () => {
    expect(messagesOf({ format: 'xml' })).toEqual(['format: expected one of "csv", "ndjson", "json", found "xml" (string)']);
    expect(messagesOf({ encoding: 'utf-32' })).toEqual(['encoding: expected one of "utf-8", "utf-16le", "utf-16be", "latin1", found "utf-32" (string)']);
    expect(messagesOf({ csv: { header: false } })).toEqual(['csv.columns: missing: a file without a header row (header: false) needs its column names in columns']);
    expect(messagesOf({ csv: { columns: ['a'] } })).toEqual([
      'csv.columns: columns names the columns of a file without a header row: set header: false, or leave columns out to use the header row',
    ]);
    expect(messagesOf({ csv: { header: false, columns: ['id', 'name', 'id'] } })).toEqual(['csv.columns.2: column name "id" is already used by columns[0]; names must be unique']);
    expect(messagesOf({ csv: { header: false, columns: ['id', ''] } })).toEqual(['csv.columns.1: expected at least 1 character, found "" (string)']);
    expect(messagesOf({ csv: { delimiter: '\n' } })).toEqual(['csv.delimiter: the delimiter cannot be a line break: CR, LF and CRLF always end a record']);
    expect(messagesOf({ csv: { delimiter: ', ' } })).toEqual(['csv.delimiter: expected at most 1 character, found ", " (string)']);
    expect(messagesOf({ csv: { quote: ',' } })).toEqual(['csv.quote: the quote and the delimiter must differ (both are ",")']);
    expect(messagesOf({ csv: { delimiter: ';', quote: ';' } })).toEqual(['csv.quote: the quote and the delimiter must differ (both are ";")']);
    expect(messagesOf({ maxRecordBytes: 10 })).toEqual(['maxRecordBytes: expected a number >= 1024, found 10 (number)']);
    expect(messagesOf({ csv: { delimter: ';' } })).toEqual(['csv.delimter: unknown key "delimter" (did you mean "delimiter"?); expected one of delimiter, quote, escape, header, columns, relaxQuotes, skipEmptyLines, relaxColumnCount']);
  });

  it('describes every field in the JSON Schema editors use, with its default', () => {
    const schema = configJsonSchema(inputSpec);
    const undescribed: string[] = [];
    const walk = (node: JsonSchema, path: string) => {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (typeof child !== 'object') continue;
        if (!child.description) undescribed.push(`${path}${key}`);
        walk(child, `${path}${key}.`);
      }
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
    expect(schema.properties?.encoding).toMatchObject({ default: 'utf-8' });
    expect((schema.properties?.csv as JsonSchema).properties?.header).toMatchObject({ default: true });
    expect(schema.required ?? []).toEqual([]);
  });
});
