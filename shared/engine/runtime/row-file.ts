import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Stringifier } from 'csv-stringify';
import { SluiceError } from '../../contract/errors.ts';
import { renderKey } from '../pipeline/key-template.ts';
import type { RowsFormat } from '../pipeline/schema.ts';
import { DEFAULT_ROWS_FORMAT } from '../pipeline/schema.ts';
import type { OutputRef, OutputTarget } from './bucket-output.ts';
import { sourceMetadata } from './bucket-output.ts';
import { isNumberObject } from './exact-values.ts';
import { putObject } from './object-io.ts';

/** The first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as text: exact numbers by their digits, dates as ISO-8601, sets and structures as JSON. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && isNumberObject(value)) return String(value);
  if (value instanceof Set) return JSON.stringify([...value]);
  return JSON.stringify(value);
}

/** A value as JSON, exact numbers written as JSON numbers from their digits (never through a float). */
function jsonValue(value: unknown): string {
  if (value === undefined) return 'null';
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Set) && isNumberObject(value)) return String(value);
  if (value instanceof Set) return `[${[...value].map(jsonValue).join(',')}]`;
  if (Array.isArray(value)) return `[${value.map(jsonValue).join(',')}]`;
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return `{${Object.entries(value).map(([key, inner]) => `${JSON.stringify(key)}:${jsonValue(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Rows written as one object, streamed as they come through a multipart upload (constant memory):
 * CSV with a header taken from the first row, formula cells neutralized as OWASP advises (a `'`
 * before a text cell starting with `=`, `+`, `-`, `@`, tab or CR; numbers are left alone), or NDJSON
 * with exact numbers. One file per source object, under the key template with `{ext}` = the format.
 */
export class RowFileWriter {
  private readonly body = new PassThrough();
  private csv: Stringifier | undefined;
  private columns: string[] | undefined;
  private upload: Promise<void> | undefined;
  private rows = 0;
  private readonly format: RowsFormat;
  private readonly key: string;
  private readonly target: OutputTarget;

  constructor(target: OutputTarget) {
    const { pipeline, to, source } = target;
    this.target = target;
    this.format = { ...DEFAULT_ROWS_FORMAT, ...to.rows };
    this.key = renderKey(to.key, { pipeline, sourceBucket: source?.bucket ?? '', sourceKey: source?.key ?? '', ext: this.format.format });
  }

  private start(): void {
    const { s3, pipeline, to, source } = this.target;
    this.upload ??= putObject(s3, {
      bucket: to.bucket,
      key: this.key,
      body: this.body,
      contentType: this.format.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
      metadata: sourceMetadata(pipeline, source, {}),
    });
  }

  private async push(target: NodeJS.WritableStream, chunk: unknown): Promise<void> {
    if (!(target as PassThrough).write(chunk)) await once(target as PassThrough, 'drain');
  }

  async write(row: Record<string, unknown>): Promise<void> {
    this.start();
    this.rows++;
    if (this.format.format === 'ndjson') {
      await this.push(this.body, `${jsonValue(row)}\n`);
      return;
    }
    if (!this.csv) {
      this.columns = Object.keys(row);
      this.csv = stringify({ header: true, columns: this.columns });
      this.csv.pipe(this.body);
    }
    const extra = Object.keys(row).filter((name) => !this.columns!.includes(name));
    if (extra.length) {
      throw new SluiceError('ROW_COLUMNS', `row ${this.rows} has column(s) ${extra.join(', ')} that the CSV header (from the first row: ${this.columns!.join(', ')}) does not; write NDJSON (to.rows.format: ndjson) for rows of different shapes`, { permanent: true });
    }
    const cells = this.columns!.map((name) => {
      const text = cellText(row[name]);
      return this.format.formulas === 'escape' && typeof row[name] === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
    });
    await this.push(this.csv, cells);
  }

  /** Ends the file and waits for the upload; a source without rows still gets its (empty) file. */
  async finish(): Promise<OutputRef> {
    this.start();
    if (this.csv) {
      this.csv.end();
      await once(this.csv, 'end');
    } else {
      this.body.end();
    }
    await this.upload;
    return { bucket: this.target.to.bucket, key: this.key, size: 0, contentType: this.format.format === 'csv' ? 'text/csv' : 'application/x-ndjson' };
  }

  get count(): number {
    return this.rows;
  }
}
