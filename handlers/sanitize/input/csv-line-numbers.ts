import type { Info } from 'csv-parse';

/**
 * The number of each CSV record's first line, from csv-parse's running count (`info.lines`) at
 * the end of the record, at no cost per record beyond two subtractions.
 *
 * csv-parse counts every CR and every LF it reads as a line, except that a CRLF ending a record is
 * one. So a record's first line is its last minus the CR and LF characters in its fields (only a
 * quoted field holds them), and each CRLF inside a quoted field makes every later count one too
 * high: `doubled` keeps that correction. Fields are only scanned when the count moved by more than
 * one line (plus the empty lines skipped) since the last record: almost never.
 */
export class CsvLineNumbers {
  private doubled = 0;
  private lastLines = 0;
  private lastEmptyLines = 0;
  private lastEnd = 0;

  /** The first line of the record csv-parse has just read, `info` taken as it pushes it. */
  firstLine(fields: readonly string[], info: Info): number {
    const lines = info.lines;
    const gap = lines - this.lastLines - (info.empty_lines - this.lastEmptyLines);
    this.lastLines = lines;
    this.lastEmptyLines = info.empty_lines;
    let first = lines - this.doubled;
    if (gap !== 1) {
      let breaks = 0;
      let crlfs = 0;
      for (const field of fields) {
        if (field.indexOf('\n') === -1 && field.indexOf('\r') === -1) continue;
        for (let i = 0; i < field.length; i++) {
          const code = field.charCodeAt(i);
          if (code === 10) breaks++;
          else if (code === 13) {
            breaks++;
            if (field.charCodeAt(i + 1) === 10) crlfs++;
          }
        }
      }
      first -= breaks;
      this.doubled += crlfs;
    }
    this.lastEnd = lines - this.doubled;
    return first;
  }

  /** The true number of a line csv-parse is at (for an error it reports). */
  lineOf(csvLine: number): number {
    return csvLine - this.doubled;
  }

  /** Where the record after the last one read starts: past the empty lines skipped since. */
  nextFirstLine(info: Info): number {
    return this.lastEnd + 1 + (info.empty_lines - this.lastEmptyLines);
  }
}
