import type { SourceRecord } from '../input/source-record.ts';
import type { Hasher, PiiAction } from '../pii/actions.ts';
import { applyPii, piiAction } from '../pii/actions.ts';
import type { FindCounts, ScanOptions } from '../pii/scan.ts';
import { scanText } from '../pii/scan.ts';
import type { SanitizeConfig } from '../spec.ts';
import type { ColumnCleaner, ColumnReading } from './column-rule.ts';
import { compileColumn } from './column-rule.ts';
import { failureMessage } from './failure.ts';
import { memoize } from './memo.ts';
import { cleanText } from './text.ts';

/**
 * Every column rule applied to one record: a clean row, or every reason the record is rejected
 * with the record as the quarantine may keep it. Rows get the declared columns first, in the
 * order declared (null when empty and not required; left out when `pii: drop`), then the kept
 * unknown columns in input order. The record kept for quarantine has its input's order and its
 * raw values, except that PII columns are hashed, masked, redacted or dropped (from their clean
 * value when they have one, so hashes match those of clean rows) and scanned columns redacted.
 */

export interface RejectionReason {
  field?: string;
  message: string;
  /** Stable and value-free: `<field>: <short>` counts rejections by reason in the summary. */
  short: string;
}

export type RecordOutcome =
  /** `dedupeKey`: the text of the dedupe columns' clean values; undefined when one is empty. */
  | { ok: true; row: Record<string, unknown>; dedupeKey: string | undefined }
  | { ok: false; reasons: RejectionReason[]; record: Record<string, unknown> };

/** A cell's reading and what the row gets from it: its value, or its PII action's (undefined: left out). */
interface Cell {
  reading: ColumnReading;
  shown: unknown;
}

interface Column {
  index: number;
  cleaner: ColumnCleaner;
  /** The memoized reader of a costly column; others read through `cleaner` with no PII action. */
  remembered: ((raw: unknown) => Cell) | undefined;
  pii: PiiAction | undefined;
  scanned: boolean;
  /** The name is not one every object inherits (`toString`): a plain read of it needs no own-property check. */
  plain: boolean;
}

/** Sets an own property, also for names like `__proto__` that plain assignment would not create. */
function setField(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

const valueOf = (values: Record<string, unknown>, name: string) => (Object.hasOwn(values, name) ? values[name] : undefined);

/** A raw value as the text PII actions and the scanner read, when it has no clean value. */
function rawText(raw: unknown, column: Column | undefined): string | null {
  if (raw === undefined || raw === null) return null;
  const text = typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  if (!column) return text;
  const { rule } = column.cleaner;
  const cleaned = cleanText(text, { normalize: rule.normalize, trim: rule.trim, case: rule.case });
  return typeof cleaned === 'string' ? cleaned : text;
}

/**
 * A problem the input layer found (a ragged row, bytes that are not text), generalized for the
 * summary's count by reason: numbers and quoted text vary from row to row, the kind of problem
 * does not.
 */
export function problemKey(problem: string): string {
  const general = problem
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/0x[0-9A-F]+|\d+/gi, (number) => (number.length > 2 && number[1]?.toLowerCase() === 'x' ? '0x…' : 'N'));
  return general.length > 160 ? `${general.slice(0, 159)}…` : general;
}

/**
 * A costly column's cell reader (undefined for the others). PII columns and emails and phone numbers (an HMAC, a phone-number parse)
 * cost more than the rest of a row together, and their values recur (a customer's email and number
 * across an orders file): they remember their last results by raw text, reading and PII action at
 * once. The memo holds raw values in memory only, for one invocation, and stops itself when values
 * do not recur.
 */
function cellReader(cleaner: ColumnCleaner, pii: PiiAction | undefined, hasher: Hasher | undefined): ((raw: unknown) => Cell) | undefined {
  const { type } = cleaner.rule;
  if (!pii && type !== 'email' && type !== 'phone') return undefined;
  const read = (raw: unknown): Cell => {
    const reading = cleaner.clean(raw);
    if (!reading.ok) return { reading, shown: undefined };
    if (!pii) return { reading, shown: reading.value };
    return { reading, shown: pii.kind === 'drop' ? undefined : applyPii(reading.text, pii, hasher) };
  };
  const remembered = memoize(read);
  return (raw) => (typeof raw === 'string' ? remembered(raw) : read(raw));
}

export interface RecordCleaner {
  clean(record: SourceRecord): RecordOutcome;
}

/** `found` counts what scanning redacts, in clean rows and quarantined records alike. */
export function createRecordCleaner(config: SanitizeConfig, hasher: Hasher | undefined, found: FindCounts): RecordCleaner {
  const scannedNames = new Set(config.scan?.columns ?? []);
  const scanOptions: ScanOptions | undefined = config.scan ? { find: config.scan.find, country: config.scan.country } : undefined;
  const columns: Column[] = Object.entries(config.columns).map(([name, rule], index) => {
    const cleaner = compileColumn(name, rule);
    const pii = rule.pii === undefined ? undefined : piiAction(rule.pii);
    return { index, cleaner, remembered: cellReader(cleaner, pii, hasher), pii, scanned: scannedNames.has(name), plain: !(name in Object.prototype) };
  });
  const byName = new Map(columns.map((column) => [column.cleaner.name, column]));
  const keepUnknown = config.unknownColumns === 'keep';
  // Each dedupe column: a declared one by its index, an unknown one by its name.
  const dedupeBy = config.dedupeBy?.map((name) => byName.get(name)?.index ?? name);

  const scannedColumns = columns.filter((column) => column.scanned);

  // Free text recurs less than emails and phone numbers, but templated notes do; the memo stops
  // itself when they do not. Like the row, it holds the text in memory only, for one invocation.
  const scanMemo = scanOptions ? memoize((text) => scanText(text, scanOptions)) : undefined;

  function scan(value: unknown): unknown {
    if (!scanMemo || value === null || value === undefined) return value;
    const result = scanMemo(typeof value === 'string' ? value : JSON.stringify(value));
    found.email += result.found.email;
    found.phone += result.found.phone;
    found.card += result.found.card;
    return result.text;
  }

  function quarantineRecord(values: Record<string, unknown>, readings: readonly (ColumnReading | undefined)[]): Record<string, unknown> {
    const record: Record<string, unknown> = {};
    for (const name of Object.keys(values)) {
      const raw = values[name];
      const column = byName.get(name);
      if (!column) {
        if (keepUnknown) setField(record, name, scannedNames.has(name) ? scan(raw) : raw);
        continue;
      }
      if (column.pii) {
        if (column.pii.kind === 'drop') continue;
        const reading = readings[column.index] ?? column.cleaner.clean(raw);
        setField(record, name, applyPii(reading.ok ? reading.text : rawText(raw, column), column.pii, hasher));
        continue;
      }
      setField(record, name, column.scanned ? scan(rawText(raw, column)) : raw);
    }
    return record;
  }

  function dedupeKeyOf(readings: readonly ColumnReading[], values: Record<string, unknown>): string | undefined {
    if (!dedupeBy) return undefined;
    const parts: string[] = [];
    for (const column of dedupeBy) {
      const reading = typeof column === 'number' ? readings[column] : undefined;
      const text = typeof column === 'number' ? (reading?.ok ? reading.text : null) : rawText(valueOf(values, column), undefined);
      if (text === null || text === '') return undefined;
      parts.push(text);
    }
    // One column's text is its own key; JSON keeps ["a,b"] and ["a", "b"] apart.
    return parts.length === 1 ? parts[0] : JSON.stringify(parts);
  }

  return {
    clean(record) {
      const { values } = record;
      if (record.problems.length) {
        const reasons = record.problems.map((problem) => ({ message: problem, short: problemKey(problem) }));
        return { ok: false, reasons, record: quarantineRecord(values, []) };
      }
      const readings: ColumnReading[] = new Array(columns.length);
      let reasons: RejectionReason[] | undefined;
      const row: Record<string, unknown> = {};
      for (const column of columns) {
        const { name } = column.cleaner;
        const raw = column.plain ? values[name] : valueOf(values, name);
        let reading: ColumnReading;
        let shown: unknown;
        if (column.remembered) ({ reading, shown } = column.remembered(raw));
        else shown = (reading = column.cleaner.clean(raw)).ok ? reading.value : undefined;
        readings[column.index] = reading;
        if (!reading.ok) {
          reasons ??= [];
          for (const failed of reading.failures) reasons.push({ field: name, message: failureMessage(failed), short: failed.short });
          continue;
        }
        if (!reasons && shown !== undefined) setField(row, name, shown);
      }
      if (reasons) return { ok: false, reasons, record: quarantineRecord(values, readings) };
      // Scanned once the row is known to be clean, so a rejected row's text is scanned only for the quarantine.
      for (const column of scannedColumns) {
        if (!column.pii) setField(row, column.cleaner.name, scan(row[column.cleaner.name]));
      }
      if (keepUnknown) {
        for (const name of Object.keys(values)) {
          if (byName.has(name)) continue;
          const raw = values[name];
          setField(row, name, scannedNames.has(name) ? scan(raw) : raw);
        }
      }
      return { ok: true, row, dedupeKey: dedupeKeyOf(readings, values) };
    },
  };
}
