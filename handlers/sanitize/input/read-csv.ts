import { pipeline } from 'node:stream';
import { InputError } from '../../../shared/errors.ts';
import { CsvColumns } from './csv-columns.ts';
import type { CsvOutput } from './csv-record-parser.ts';
import { CsvRecordParser } from './csv-record-parser.ts';
import type { DecodedText } from './decode-text.ts';
import type { SourceRecord } from './source-record.ts';
import type { CsvInputOptions } from './spec.ts';

/**
 * Every line ending ends a record, mixed in one file too: csv-parse's own detection would take the
 * first one it meets for the whole file, and read the LF-only lines of a file that starts with
 * CRLF as one field. CRLF comes first so that it is one line ending, not two.
 */
const RECORD_DELIMITERS = ['\r\n', '\n', '\r'];

/** The records of a CSV text, streamed through csv-parse. */
export async function* readCsv(text: DecodedText, options: CsvInputOptions, delimiter: string, maxRecordBytes: number): AsyncGenerator<SourceRecord> {
  const parser = new CsvRecordParser(
    {
      delimiter,
      quote: options.quote,
      escape: options.escape,
      relax_quotes: options.relaxQuotes,
      record_delimiter: RECORD_DELIMITERS,
      skip_empty_lines: options.skipEmptyLines,
      max_record_size: maxRecordBytes,
    },
    {
      columns: options.columns === undefined ? undefined : new CsvColumns(options.columns, 'declared'),
      faults: text.faults,
      relaxColumnCount: options.relaxColumnCount,
      maxRecordBytes,
    },
  );
  // A failure of the source (a dropped connection, a binary object) destroys the parser with it,
  // and so comes out of the loop below; leaving the loop early destroys the source in turn.
  pipeline(text.chunks, parser, () => {});
  for await (const output of parser as AsyncIterable<CsvOutput>) {
    if (output instanceof InputError) throw output;
    yield output;
  }
}
