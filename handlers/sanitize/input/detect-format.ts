import { InputError } from '../../../shared/contract/errors.ts';
import type { InputFormat } from './spec.ts';

/** What the reader knows of the object besides its bytes. */
export interface InputHint {
  /** The object key (decoded, as in the event after normalizing). */
  key?: string;
  contentType?: string;
}

const BY_EXTENSION: Readonly<Record<string, InputFormat>> = {
  csv: 'csv',
  tsv: 'csv',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  json: 'json',
};

const BY_CONTENT_TYPE: Readonly<Record<string, InputFormat>> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/comma-separated-values': 'csv',
  'text/tab-separated-values': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/x-jsonlines': 'ndjson',
  'application/jsonlines': 'ndjson',
  'application/json': 'json',
  'text/json': 'json',
};

/** Extensions of files that are not text: named in the error, rather than "unknown format". */
const NOT_TEXT_BY_EXTENSION: Readonly<Record<string, string>> = {
  gz: 'gzip-compressed',
  bz2: 'bzip2-compressed',
  zst: 'zstd-compressed',
  zip: 'a ZIP archive',
  xlsx: 'an Excel workbook',
  xlsm: 'an Excel workbook',
  xls: 'an Excel workbook',
  ods: 'an OpenDocument spreadsheet',
  parquet: 'a Parquet file',
  pdf: 'a PDF document',
};

/** `csv` of `orders/2024.CSV`, lower case; undefined without one. */
function extensionOf(key: string | undefined): string | undefined {
  const name = key?.slice(key.lastIndexOf('/') + 1) ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined;
}

/** `text/csv` of `Text/CSV; charset=utf-8`. */
function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type || undefined;
}

// Own keys only: a key ending in `.constructor` must not find Object's.
const lookUp = (table: Readonly<Record<string, InputFormat>>, name: string | undefined) =>
  name !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;

/** The format to read: the declared one, else the key's extension, else the content type. */
export function detectFormat(declared: InputFormat | undefined, hint: InputHint): InputFormat {
  if (declared) return declared;
  const extension = extensionOf(hint.key);
  const byExtension = lookUp(BY_EXTENSION, extension);
  if (byExtension) return byExtension;
  const mediaType = mediaTypeOf(hint.contentType);
  const byType = lookUp(BY_CONTENT_TYPE, mediaType);
  if (byType) return byType;
  const key = hint.key === undefined ? 'the object' : JSON.stringify(hint.key);
  const notText = extension !== undefined && Object.hasOwn(NOT_TEXT_BY_EXTENSION, extension) ? NOT_TEXT_BY_EXTENSION[extension] : undefined;
  if (notText) throw new InputError('INPUT_NOT_TEXT', `${key} is ${notText} (by its extension), not CSV or JSON text: export or decompress it to CSV, NDJSON or JSON first`);
  const type = mediaType === undefined ? 'no content type' : `content type ${JSON.stringify(mediaType)}`;
  throw new InputError(
    'INPUT_FORMAT_UNKNOWN',
    `cannot tell the format of ${key} (${type}): expected a key ending in .csv, .tsv, .ndjson, .jsonl or .json, or a CSV, NDJSON or JSON content type; set the input's format (csv, ndjson or json)`,
  );
}

/**
 * The CSV delimiter when none is declared: a tab for TSV, else a comma. As for the format, a known
 * extension speaks first, then the content type.
 */
export function defaultDelimiter(hint: InputHint): string {
  const extension = extensionOf(hint.key);
  const tsv = lookUp(BY_EXTENSION, extension) ? extension === 'tsv' : mediaTypeOf(hint.contentType) === 'text/tab-separated-values';
  return tsv ? '\t' : ',';
}
