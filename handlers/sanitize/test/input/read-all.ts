import { Readable } from 'node:stream';
import { InputError } from '../../../../shared/contract/errors.ts';
import type { ByteSource, InputHint } from '../../input/read-records.ts';
import { readRecords } from '../../input/read-records.ts';
import type { SourceRecord } from '../../input/source-record.ts';
import type { InputOptionsInput } from '../../input/spec.ts';
import { inputSpec } from '../../input/spec.ts';

/** Everything one read gave: the records, then the InputError that ended it, if one did. */
export interface ReadOutcome {
  records: SourceRecord[];
  error?: InputError;
}

/** Reads a whole body. Any failure but an InputError is a crash, and fails the test that met it. */
export async function readAll(body: ByteSource, options: InputOptionsInput = {}, hint: InputHint = {}): Promise<ReadOutcome> {
  const records: SourceRecord[] = [];
  try {
    for await (const record of readRecords(body, inputSpec.parse(options), hint)) records.push(record);
  } catch (error) {
    if (error instanceof InputError) return { records, error };
    throw error;
  }
  return { records };
}

/** `bytes` as a stream of `size`-byte chunks: every chunk edge a parser must carry state across. */
export function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

/** Reads a text or bytes given whole (or in `chunkSize` pieces). */
export function readText(text: string | Buffer, options: InputOptionsInput = {}, hint: InputHint = {}, chunkSize?: number): Promise<ReadOutcome> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return readAll(chunkSize === undefined ? Readable.from([bytes]) : chunked(bytes, chunkSize), options, hint);
}

/** What a read gave, in the short form tests compare: `[row, values, problems]` per record, then the error. */
export function summarize({ records, error }: ReadOutcome): unknown[] {
  const rows: unknown[] = records.map((record) => [record.row, record.values, record.problems]);
  if (error) rows.push(`${error.code}: ${error.message}`);
  return rows;
}
