import type { DecodedText } from './decode-text.ts';
import { describeJsonSyntaxError, kindOfJson } from './json-messages.ts';
import type { SourceRecord } from './source-record.ts';

const LF = 0x0a;
const CR = 0x0d;

/** One line's record (its bytes without the LF), or undefined for a blank line. */
function recordOf(bytes: Buffer, line: number, fault: string | undefined): SourceRecord | undefined {
  const length = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
  const text = bytes.toString('utf8', 0, length);
  if (text.trim() === '') return undefined;
  const problems: string[] = [];
  let values: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) values = value as Record<string, unknown>;
    else problems.push(`line ${line} is ${kindOfJson(value)}, not a JSON object`);
  } catch (error) {
    problems.push(`line ${line} is not valid JSON: ${describeJsonSyntaxError(error)}`);
  }
  if (fault !== undefined) problems.push(fault);
  return { row: line, values, problems };
}

/**
 * The records of an NDJSON text: one JSON object per line, LF or CRLF, blank lines skipped. A
 * line that is not a JSON object is a record with the reason, and the next line is read as usual.
 * A line longer than `maxRecordBytes` is not kept: it is a record with that reason, and the rest
 * of the line is skipped, so memory stays bounded however long the line.
 */
export async function* readNdjson(text: DecodedText, maxRecordBytes: number): AsyncGenerator<SourceRecord> {
  const { faults } = text;
  let line = 1;
  /** The start of the current line, when it began in an earlier chunk. */
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let tooLong = false;
  let chunkOffset = 0;

  const finishLine = (bytes: Buffer, end: number): SourceRecord | undefined => {
    const fault = faults.pending ? faults.takeBefore(end) : undefined;
    const record = tooLong
      ? { row: line, values: {}, problems: [`line ${line} is longer than ${maxRecordBytes} bytes (maxRecordBytes)`, ...(fault === undefined ? [] : [fault])] }
      : recordOf(bytes, line, fault);
    line++;
    pieces = [];
    pieceBytes = 0;
    tooLong = false;
    return record;
  };

  for await (const chunk of text.chunks) {
    let start = 0;
    for (let newline = chunk.indexOf(LF); newline !== -1; newline = chunk.indexOf(LF, start)) {
      const tail = chunk.subarray(start, newline);
      tooLong ||= pieceBytes + tail.length > maxRecordBytes;
      const bytes = pieces.length === 0 || tooLong ? tail : Buffer.concat([...pieces, tail]);
      const record = finishLine(bytes, chunkOffset + newline + 1);
      if (record) yield record;
      start = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pieceBytes += rest.length;
      if (pieceBytes > maxRecordBytes) tooLong = true;
      if (tooLong) pieces = [];
      // A copy: keeping a view would keep the whole chunk alive for a few bytes.
      else pieces.push(Buffer.from(rest));
    }
    chunkOffset += chunk.length;
  }
  if (pieceBytes > 0) {
    const record = finishLine(Buffer.concat(pieces), chunkOffset);
    if (record) yield record;
  }
}
