/**
 * One record as read from the input file, before any column rule: what the input layer (CSV,
 * NDJSON, JSON array readers) hands to the rules layer.
 */
export interface SourceRecord {
  /**
   * Where it is in the file, for messages and the quarantine: for CSV the 1-based number of the
   * record's first line in the file (the header is line 1, so the first data row is usually 2;
   * a quoted newline makes a record span lines), for NDJSON the 1-based line number, for a JSON
   * array the 1-based element index.
   */
  row: number;
  /** Column name → raw value: strings for CSV, JSON values for NDJSON and JSON arrays. */
  values: Record<string, unknown>;
  /**
   * What was wrong with the record as read (a ragged CSV row, a line that is not JSON, an element
   * that is not an object); a record with problems is rejected with them and no rule runs on it.
   */
  problems: string[];
}
