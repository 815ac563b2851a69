import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { SluiceError } from '../../contract/errors.ts';

/**
 * The lines of an append-only NDJSON log. A process killed in the middle of an append can leave
 * a last line without its newline: it was never acknowledged, so it is cut off, and the next
 * append starts on a clean line.
 */
export function readLogLines(file: string): unknown[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, end)));
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  return lines.map((line, index) => {
    try {
      return JSON.parse(line) as unknown;
    } catch (error) {
      throw new SluiceError('STREAM_LOG_CORRUPT', `${file}:${index + 1}: not a stream log entry (${(error as Error).message})`, { cause: error, permanent: true });
    }
  });
}

/**
 * Appends one line with a synchronous write: once this returns the line is in the operating
 * system's hands and survives the process being killed (not a power cut: no fsync per write).
 */
export function appendLogLine(fd: number, value: unknown): void {
  const data = Buffer.from(`${JSON.stringify(value)}\n`);
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written);
}

export const openForAppend = (file: string): number => openSync(file, 'a');

/** Replaces the log with `values`, atomically: a crash leaves the old log or the new one, never a mix. */
export function rewriteLog(file: string, values: Iterable<unknown>): void {
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    for (const value of values) appendLogLine(fd, value);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** A rewrite that was cut short leaves its temporary file; the log itself is intact. */
export const removeUnfinishedRewrite = (file: string): void => rmSync(`${file}.tmp`, { force: true });
