import type { ByteSource } from './decode-text.ts';
import { decodeText } from './decode-text.ts';
import type { InputHint } from './detect-format.ts';
import { defaultDelimiter, detectFormat } from './detect-format.ts';
import { readCsvBatches } from './read-csv.ts';
import { readJsonArray } from './read-json-array.ts';
import { readNdjson } from './read-ndjson.ts';
import type { SourceRecord } from './source-record.ts';
import type { InputOptions } from './spec.ts';

export type { ByteSource } from './decode-text.ts';
export type { InputHint } from './detect-format.ts';

/**
 * The records of an input object, streamed: CSV, NDJSON or a JSON array, in UTF-8, UTF-16 or
 * Latin-1. Memory stays flat whatever the object's size: a few chunks and one record at a time.
 *
 * Nothing is dropped silently. A record that cannot be read as one (a ragged CSV row, a stray
 * quote, a line that is not a JSON object, bytes that are not valid text) comes out with its
 * `problems`, in its place. What makes the rest of the object unreadable (no way to tell the
 * format, a binary file, a wrong CSV header, a quote never closed, a broken JSON document) throws
 * an InputError naming the line, after the records before it.
 *
 * InputError codes: INPUT_FORMAT_UNKNOWN, INPUT_NOT_TEXT, CSV_HEADER_INVALID, CSV_FIELD_COUNT
 * (only with `relaxColumnCount: false`), CSV_MALFORMED, JSON_NOT_ARRAY, JSON_MALFORMED,
 * RECORD_TOO_LARGE. A failure of `body` itself (a dropped connection) is passed on as it is.
 */
export async function* readRecords(body: ByteSource, options: InputOptions, hint: InputHint = {}): AsyncGenerator<SourceRecord> {
  for await (const batch of readRecordBatches(body, options, hint)) yield* batch;
}

/** Batches of records, as they are ready: the same records, a promise per batch rather than per record. */
export async function* readRecordBatches(body: ByteSource, options: InputOptions, hint: InputHint = {}): AsyncGenerator<SourceRecord[]> {
  // Decided before a byte is read: an object of unknown format is refused without downloading it.
  const format = detectFormat(options.format, hint);
  const text = decodeText(body, options.encoding);
  switch (format) {
    case 'csv':
      yield* readCsvBatches(text, options.csv, options.csv.delimiter ?? defaultDelimiter(hint), options.maxRecordBytes);
      return;
    case 'ndjson':
      yield* inBatches(readNdjson(text, options.maxRecordBytes));
      return;
    case 'json':
      yield* inBatches(readJsonArray(text, options.maxRecordBytes));
      return;
  }
}

const BATCH = 256;

async function* inBatches(records: AsyncIterable<SourceRecord>): AsyncGenerator<SourceRecord[]> {
  let batch: SourceRecord[] = [];
  try {
    for await (const record of records) {
      batch.push(record);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    // The records before what made the rest unreadable come out first, as they were read.
    if (batch.length) yield batch;
    throw error;
  }
  if (batch.length) yield batch;
}
