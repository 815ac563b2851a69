import { Parser } from 'csv-parse';
import type { CsvError, Options } from 'csv-parse';
import { InputError } from '../../../shared/contract/errors.ts';
import { CsvColumns, headerError } from './csv-columns.ts';
import { CsvLineNumbers } from './csv-line-numbers.ts';
import type { EncodingFaults } from './encoding-faults.ts';
import type { SourceRecord } from './source-record.ts';

export interface CsvRecordSettings {
  /** The declared columns; undefined when the first record is the header. */
  columns: CsvColumns | undefined;
  faults: EncodingFaults;
  relaxColumnCount: boolean;
  maxRecordBytes: number;
}

/** What the parser's readable side carries: records in file order, then at most one error that ends the file. */
export type CsvOutput = SourceRecord | InputError;

/**
 * csv-parse, emitting SourceRecords. It turns each row into a record as csv-parse pushes it, when
 * `info` still describes that row: its line numbers and byte offset come for free, where csv-parse's
 * own `info: true` would copy its whole info object for every record.
 *
 * A row csv-parse cannot read (a stray quote) is reported as a record with the reason, in its
 * place among the others; what would make the rest of the file unreadable (a quote never closed,
 * a wrong header) is an InputError after the records before it.
 */
export class CsvRecordParser extends Parser {
  private columns: CsvColumns | undefined;
  private readonly settings: CsvRecordSettings;
  private readonly lines = new CsvLineNumbers();
  private stopped = false;
  /** The line of the last unreadable record, while no record came after it: further errors there are the same record's. */
  private lastSkippedLine: number | undefined;

  constructor(options: Options, settings: CsvRecordSettings) {
    super({ ...options, relax_column_count: true, skip_records_with_error: true, bom: false, encoding: 'utf8', info: false, raw: false, columns: false });
    this.settings = settings;
    this.columns = settings.columns;
    // csv-parse reports a record it drops through `skip`, synchronously, while `info` is at that record.
    this.on('skip', (error: CsvError) => {
      try {
        this.skipRecord(error);
      } catch (failure) {
        this.stopped = true;
        this.destroy(failure as Error);
      }
    });
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    if (this.stopped) return false;
    // This runs inside csv-parse, inside a stream write: a throw from here would escape every
    // handler and end the process. Whatever goes wrong becomes the stream's error instead.
    try {
      return this.pushRecord(chunk as string[]);
    } catch (error) {
      this.stopped = true;
      this.destroy(error as Error);
      return false;
    }
  }

  private pushRecord(fields: string[]): boolean {
    const { info } = this;
    const row = this.lines.firstLine(fields, info);
    const fault = this.settings.faults.pending ? this.settings.faults.takeBefore(info.bytes) : undefined;
    this.lastSkippedLine = undefined;
    const columns = this.columns;
    if (columns === undefined) {
      this.readHeader(fields, row, fault);
      return true;
    }
    const record: SourceRecord = { row, values: columns.valuesOf(fields), problems: [] };
    const countProblem = columns.countProblem(fields.length);
    if (countProblem !== undefined) {
      if (!this.settings.relaxColumnCount) return this.fail(new InputError('CSV_FIELD_COUNT', `line ${row}: ${countProblem} (relaxColumnCount is false, so the file is refused)`));
      record.problems.push(countProblem);
    }
    if (fault !== undefined) record.problems.push(fault);
    return super.push(record);
  }

  private readHeader(fields: string[], row: number, fault: string | undefined): void {
    const error = fault === undefined ? headerError(fields, row) : new InputError('CSV_HEADER_INVALID', `line ${row}: the header row is ${fault}`);
    if (error) this.fail(error);
    else this.columns = new CsvColumns(fields, 'header');
  }

  /**
   * A record csv-parse gives up on. With `relaxQuotes: false`, a stray quote drops its record: it
   * becomes a record with the reason and no values (csv-parse keeps none), numbered by the line of
   * the quote, which for a record on one line, nearly all, is its first. Anything else here leaves
   * the parser unable to find where the next record starts, so it ends the file.
   */
  private skipRecord(error: CsvError): void {
    if (this.stopped) return;
    const { info } = this;
    const line = this.lines.lineOf(info.lines);
    if (error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE') {
      if (this.columns === undefined) {
        this.fail(new InputError('CSV_HEADER_INVALID', `line ${line}: the header row has ${this.describeQuoteError(error)}`));
        return;
      }
      if (this.lastSkippedLine === line) return;
      this.lastSkippedLine = line;
      const problems = [`cannot read the row: ${this.describeQuoteError(error)}`];
      const fault = this.settings.faults.pending ? this.settings.faults.takeBefore(info.bytes) : undefined;
      if (fault !== undefined) problems.push(fault);
      super.push({ row: line, values: {}, problems } satisfies SourceRecord);
      return;
    }
    const first = this.lines.nextFirstLine(info);
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      this.fail(
        new InputError(
          'CSV_MALFORMED',
          `line ${first}: a quoted field in the record starting here is never closed, so the rest of the file (to line ${line}) cannot be read as rows; look for a stray quote`,
        ),
      );
    } else if (error.code === 'CSV_MAX_RECORD_SIZE') {
      this.fail(
        new InputError(
          'RECORD_TOO_LARGE',
          `line ${first}: the record starting here is longer than ${this.settings.maxRecordBytes} bytes (maxRecordBytes) by line ${line}; usually a quote that is never closed`,
        ),
      );
    } else {
      this.fail(new InputError('CSV_MALFORMED', `line ${line}: csv-parse cannot read the file (${error.code})`));
    }
  }

  /** Which field and what is wrong with its quotes, without its value: that may be personal data. */
  private describeQuoteError(error: CsvError): string {
    const index = typeof error.column === 'number' ? error.column : undefined;
    const name = index === undefined ? undefined : this.columns?.names[index];
    const field = index === undefined ? 'a field' : `field ${index + 1}${name === undefined ? '' : ` (${name})`}`;
    return error.code === 'INVALID_OPENING_QUOTE'
      ? `a quote inside ${field}, which is not quoted (a field with quotes must be quoted, its quotes doubled)`
      : `text after the closing quote of ${field}, before the next delimiter`;
  }

  /** Ends the output with `error`: what csv-parse reads after it is not pushed. */
  private fail(error: InputError): boolean {
    this.stopped = true;
    super.push(error);
    return false;
  }
}
