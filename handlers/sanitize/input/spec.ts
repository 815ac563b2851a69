import { z } from 'zod';

/**
 * How sanitize reads its input object, declared once: the TypeScript types, YAML validation, the
 * JSON Schema for editors and the README options table all come from this file.
 */

export const INPUT_FORMATS = ['csv', 'ndjson', 'json'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export const INPUT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'latin1'] as const;
export type InputEncoding = (typeof INPUT_ENCODINGS)[number];

/** The largest record read by default: far above any real row, far below a Lambda's memory. */
export const DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;

const LINE_BREAKS = /[\r\n]/;

const csvCharacter = (what: string) =>
  z
    .string()
    .length(1)
    .refine((value) => !LINE_BREAKS.test(value), `the ${what} cannot be a line break: CR, LF and CRLF always end a record`);

export const csvInputSpec = z
  .strictObject({
    delimiter: csvCharacter('delimiter')
      .optional()
      .describe('The character between fields. Default: a comma, or a tab when the object key ends in `.tsv` or its content type is `text/tab-separated-values`.'),
    quote: csvCharacter('quote').default('"').describe('The character around a field that holds the delimiter, a quote or a line break.'),
    escape: csvCharacter('escape')
      .default('"')
      .describe('The character that makes the next quote inside a quoted field literal. The default, `"`, reads `""` as one quote (RFC 4180); set `\\` for files that write `\\"`.'),
    header: z
      .boolean()
      .default(true)
      .describe(
        'Whether the first record names the columns. Its names must be unique and non-empty, or the file is refused. Set `false` for a file without a header row, and name the columns in `columns`.',
      ),
    columns: z
      .array(z.string().min(1).describe('A column name, as the rules refer to it.'))
      .min(1)
      .superRefine((names, ctx) => {
        const first = new Map<string, number>();
        names.forEach((name, index) => {
          const earlier = first.get(name);
          if (earlier === undefined) first.set(name, index);
          else ctx.addIssue({ code: 'custom', path: [index], message: `column name "${name}" is already used by columns[${earlier}]; names must be unique` });
        });
      })
      .optional()
      .describe('The column names, in order, of a file without a header row (`header: false`); required then, and not allowed with a header row.'),
    relaxQuotes: z
      .boolean()
      .default(true)
      .describe(
        'What a quote where RFC 4180 allows none does: inside a field that is not quoted (`5\'10"`), or followed by text after a closing quote. `true`: it is kept as written, as Excel and most readers do, and nothing is lost. `false`: the row is rejected with the reason, and the rest of the file is read.',
      ),
    skipEmptyLines: z
      .boolean()
      .default(true)
      .describe('Skip lines with nothing on them. With `false`, an empty line is a record of one empty field (a ragged row unless there is one column).'),
    relaxColumnCount: z
      .boolean()
      .default(true)
      .describe(
        'What a row with more or fewer fields than there are columns does. `true`: it is rejected with the reason (`expected 8 fields (the header\'s), found 9`) and the rest of the file is read. `false`: the whole file is refused at the first such row. Fields are never padded or dropped silently.',
      ),
  })
  .superRefine((csv, ctx) => {
    if (csv.header === false && csv.columns === undefined) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message: 'missing: a file without a header row (header: false) needs its column names in columns' });
    }
    if (csv.header !== false && csv.columns !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message: 'columns names the columns of a file without a header row: set header: false, or leave columns out to use the header row' });
    }
    const delimiter = csv.delimiter ?? ',';
    if (delimiter === csv.quote) ctx.addIssue({ code: 'custom', path: ['quote'], message: `the quote and the delimiter must differ (both are ${JSON.stringify(delimiter)})` });
  })
  .describe('How CSV is read (csv-parse, streaming).');

export const inputSpec = z
  .strictObject({
    format: z
      .enum(INPUT_FORMATS)
      .optional()
      .describe(
        '`csv`, `ndjson` (one JSON object per line) or `json` (one array of objects). Default: from the object key\'s extension (`.csv`, `.tsv`, `.ndjson`, `.jsonl`, `.json`), else from its content type; an object with neither is refused, saying to set this.',
      ),
    encoding: z
      .enum(INPUT_ENCODINGS)
      .default('utf-8')
      .describe(
        'The text encoding. A byte-order mark (UTF-8, UTF-16LE or UTF-16BE) overrides it and is removed. `latin1` reads bytes 0x80-0x9F as Windows-1252 does (€, curly quotes), as browsers do. In UTF-8 and UTF-16, bytes that are not valid text reject the record they are in, naming the byte; they are never replaced silently.',
      ),
    csv: csvInputSpec.prefault({}),
    maxRecordBytes: z
      .int()
      .min(1024)
      .default(DEFAULT_MAX_RECORD_BYTES)
      .describe(
        'The largest record read, in bytes: a longer NDJSON line is rejected on its own, while a CSV record or JSON element that long (usually a quote that is never closed) refuses the rest of the file. Keeps memory flat whatever the input. Default 8388608 (8 MiB).',
      ),
  })
  .describe('How the input object is read: its format, encoding and CSV dialect.');

/** The input options with defaults applied, as `readRecords` takes them. */
export type InputOptions = z.output<typeof inputSpec>;
export type CsvInputOptions = z.output<typeof csvInputSpec>;
/** The input options as written in YAML, before defaults are applied. */
export type InputOptionsInput = z.input<typeof inputSpec>;
