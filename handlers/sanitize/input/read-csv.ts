import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { InputError } from '../../../shared/contract/errors.ts';
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

/**
 * What a stream has ready, as one array per wait: a record at a time through the stream's async
 * iterator costs a promise and a tick per record, which at a million rows is as much as parsing.
 */
async function* readyBatches<T>(stream: Readable): AsyncGenerator<T[]> {
  for (;;) {
    const batch: T[] = [];
    for (let item = stream.read() as T | null; item !== null; item = stream.read() as T | null) batch.push(item);
    if (batch.length) {
      yield batch;
      continue;
    }
    if (stream.readableEnded || stream.destroyed) {
      if (stream.errored) throw stream.errored;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off('readable', done).off('end', done).off('error', done).off('close', done);
        resolve();
      };
      stream.on('readable', done).on('end', done).on('error', done).on('close', done);
    });
  }
}

/** The records of a CSV text, streamed through csv-parse. */
export async function* readCsv(text: DecodedText, options: CsvInputOptions, delimiter: string, maxRecordBytes: number): AsyncGenerator<SourceRecord> {
  for await (const batch of readCsvBatches(text, options, delimiter, maxRecordBytes)) yield* batch;
}

/** The same, in the batches the parser has ready: what the sanitize step reads. */
export async function* readCsvBatches(text: DecodedText, options: CsvInputOptions, delimiter: string, maxRecordBytes: number): AsyncGenerator<SourceRecord[]> {
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
  try {
    for await (const batch of readyBatches<CsvOutput>(parser)) {
      const failed = batch.findIndex((output) => output instanceof InputError);
      if (failed === -1) {
        yield batch as SourceRecord[];
        continue;
      }
      if (failed > 0) yield batch.slice(0, failed) as SourceRecord[];
      throw batch[failed];
    }
  } finally {
    // Left early (a consumer that stopped, an error): the source is not read any further.
    if (!parser.readableEnded) parser.destroy();
  }
}
