import { daysInMonth, formatDate, formatUtc, utcYear, wallSeconds } from './calendar.ts';
import type { DateFormat } from './date-format.ts';
import { compileDateFormat } from './date-format.ts';
import type { RuleFailure } from './failure.ts';
import { describeText, failure, orList } from './failure.ts';
import { localToInstant } from './time-zone.ts';

/**
 * Dates and date-times read in the declared formats, out as ISO-8601: `2026-11-29` for a date,
 * `2026-11-29T10:14:00Z` (UTC, the fraction of a second kept as written when there is one) for a
 * date-time. `key` orders values as their instants do, for `min` and `max`.
 */

export interface DateRule {
  type: 'date' | 'datetime';
  formats: readonly DateFormat[];
  timeZone?: string | undefined;
  /** Whether readings need `key` (for min and max); most columns have no bounds and skip it. */
  keyed?: boolean;
}

export type DateReading = { ok: true; text: string; key?: string } | { ok: false; failure: RuleFailure };

export const DEFAULT_DATE_FORMATS = ['YYYY-MM-DD'] as const;
export const DEFAULT_DATETIME_FORMATS = ['YYYY-MM-DDTHH:mm:ssZ', 'YYYY-MM-DDTHH:mm:ss.SSSZ'] as const;

const EPOCH_SECONDS = /^(-?)(\d{1,12})(?:\.(\d{1,9}))?$/;
const EPOCH_MILLIS = /^-?\d{1,15}$/;
// Four-digit years in UTC: what ISO-8601 writes without an expanded-year sign.
const MIN_SECONDS = wallSeconds({ year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
const MAX_SECONDS = wallSeconds({ year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59 });

const nameOf = (format: DateFormat) => (format.kind === 'epochSeconds' ? 'epoch seconds' : format.kind === 'epochMillis' ? 'epoch milliseconds' : format.source);

export function expectedDate(rule: DateRule): string {
  return `a ${rule.type === 'date' ? 'date' : 'date-time'} as ${orList(rule.formats.map(nameOf))}`;
}

function trimFraction(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  return end === digits.length ? digits : digits.slice(0, end);
}
const sortKey = (seconds: number, fraction: string) => `${formatUtc(seconds, '').slice(0, -1)}.${fraction.padEnd(9, '0')}`;

interface Instant {
  seconds: number;
  fraction: string;
}

/** `iso`: the value's ISO-8601 text when it is already that (four-digit year, UTC), so in range too. */
type Parsed = { ok: true; date: string } | { ok: true; instant: Instant; iso?: string } | { ok: false; reason: 'shape' | 'range' | 'gap' };

function zoneSeconds(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || '0') * 60);
}

function readEpoch(text: string, kind: 'epochSeconds' | 'epochMillis'): Parsed {
  if (kind === 'epochMillis') {
    if (!EPOCH_MILLIS.test(text)) return { ok: false, reason: 'shape' };
    const millis = Number(text);
    const seconds = Math.floor(millis / 1000);
    return { ok: true, instant: { seconds, fraction: trimFraction(String(millis - seconds * 1000).padStart(3, '0')) } };
  }
  const match = EPOCH_SECONDS.exec(text);
  if (!match) return { ok: false, reason: 'shape' };
  const [, sign, whole = '0', fractionDigits = ''] = match;
  const fraction = trimFraction(fractionDigits);
  if (sign && fraction) {
    // -1.25 s is 1.75 s before -1 s: borrow one second for the fraction.
    const nanos = 1_000_000_000 - Number(fraction.padEnd(9, '0'));
    return { ok: true, instant: { seconds: -Number(whole) - 1, fraction: trimFraction(String(nanos).padStart(9, '0')) } };
  }
  return { ok: true, instant: { seconds: (sign ? -1 : 1) * Number(whole), fraction } };
}

/** Two ASCII digits at `at` as a number, or NaN. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : NaN;
}

/**
 * `YYYY-MM-DDTHH:mm:ssZ` read by position, without the regular expression's match and its eight
 * strings: the shape nearly every date-time column carries. Anything else (an offset, a typo) is
 * left to the regular expression, which gives the same answer for these.
 */
function readCanonicalUtc(text: string): Parsed | undefined {
  if (text.length !== 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 90) return undefined;
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (Number.isNaN(year + month + day + hour + minute + second)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'range' };
  return { ok: true, instant: { seconds: wallSeconds({ year, month, day, hour, minute, second }), fraction: '' }, iso: text };
}

function readPattern(text: string, format: Extract<DateFormat, { kind: 'pattern' }>, rule: DateRule): Parsed {
  if (format.canonical && rule.type === 'datetime') {
    const read = readCanonicalUtc(text);
    if (read) return read;
  }
  const match = format.regex.exec(text);
  if (!match) return { ok: false, reason: 'shape' };
  // A field the format lacks reads group 0, the whole match: never used for one it lacks.
  const { group } = format;
  const year = Number(match[group.year]);
  const month = Number(match[group.month]);
  const day = Number(match[group.day]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false, reason: 'range' };
  if (rule.type === 'date') return { ok: true, date: formatDate(year, month, day) };
  const hour = Number(match[group.hour]);
  const minute = Number(match[group.minute]);
  const second = group.second ? Number(match[group.second]) : 0;
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'range' };
  const fraction = group.fraction ? trimFraction(match[group.fraction]!) : '';
  const wall = wallSeconds({ year, month, day, hour, minute, second });
  const zone = group.zone ? match[group.zone] : undefined;
  if (zone !== undefined) {
    const offset = zoneSeconds(zone);
    if (Math.abs(offset) >= 24 * 3600 || Number(zone.replace(':', '').slice(3, 5) || '0') > 59) return { ok: false, reason: 'range' };
    return { ok: true, instant: { seconds: wall - offset, fraction } };
  }
  // The spec allows a zone-less format only with a timezone.
  const seconds = localToInstant(wall, rule.timeZone ?? 'UTC');
  return seconds === undefined ? { ok: false, reason: 'gap' } : { ok: true, instant: { seconds, fraction } };
}

/** Reads `text` with the first format that takes it. */
export function readDate(text: string, rule: DateRule): DateReading {
  let outOfRange = false;
  for (const format of rule.formats) {
    const parsed = format.kind === 'pattern' ? readPattern(text, format, rule) : readEpoch(text, format.kind);
    if (!parsed.ok) {
      if (parsed.reason === 'gap') {
        return { ok: false, failure: failure('nonexistent local time', `a local time that exists in ${rule.timeZone ?? 'UTC'}`, 'one skipped by a daylight-saving change') };
      }
      outOfRange ||= parsed.reason === 'range';
      continue;
    }
    if ('date' in parsed) return rule.keyed ? { ok: true, text: parsed.date, key: parsed.date } : { ok: true, text: parsed.date };
    const { seconds, fraction } = parsed.instant;
    // Already ISO-8601 in UTC (read by position): its own text, and within the four-digit years.
    if (parsed.iso !== undefined) return rule.keyed ? { ok: true, text: parsed.iso, key: sortKey(seconds, fraction) } : { ok: true, text: parsed.iso };
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS || utcYear(seconds) > 9999) {
      return { ok: false, failure: failure('date out of range', 'a date-time in the years 0000-9999 (UTC)', 'one outside them') };
    }
    const iso = formatUtc(seconds, fraction);
    return rule.keyed ? { ok: true, text: iso, key: sortKey(seconds, fraction) } : { ok: true, text: iso };
  }
  const short = rule.type === 'date' ? 'not a date' : 'not a date-time';
  if (outOfRange) return { ok: false, failure: failure(short, expectedDate(rule), 'a month, day or time out of range') };
  return { ok: false, failure: failure(short, expectedDate(rule), text === '' ? 'an empty value' : describeText(text)) };
}

const BOUND_FORMATS = {
  date: ['YYYY-MM-DD'],
  datetime: ['YYYY-MM-DDTHH:mm:ssZ', 'YYYY-MM-DDTHH:mm:ss.SZ', 'YYYY-MM-DDTHH:mmZ'],
} as const;

function boundRule(type: 'date' | 'datetime'): DateRule {
  const formats = BOUND_FORMATS[type].map((source) => {
    const compiled = compileDateFormat(source);
    if (!compiled.ok) throw new Error(`bound format ${source}: ${compiled.message}`);
    return compiled.format;
  });
  return { type, formats, keyed: true };
}

/** A configured `min` or `max`: its sort key and its ISO text, or undefined when it is not one. */
export function readDateBound(value: string, type: 'date' | 'datetime'): { key: string; text: string } | undefined {
  const reading = readDate(value.trim(), boundRule(type));
  if (reading.ok) return { key: reading.key ?? reading.text, text: reading.text };
  if (type === 'datetime') {
    // A plain date bounds date-times at its midnight, UTC.
    const date = readDate(value.trim(), boundRule('date'));
    if (date.ok) return readDateBound(`${date.text}T00:00:00Z`, 'datetime');
  }
  return undefined;
}

export const BOUND_FORMS = { date: 'a date as YYYY-MM-DD', datetime: 'an ISO-8601 date-time with a zone (2026-01-01T00:00:00Z) or a date (2026-01-01, midnight UTC)' } as const;

/** Whether a read value is within the bounds; the failure if not. */
export function checkDateBounds(key: string, type: 'date' | 'datetime', min: { key: string; text: string } | undefined, max: { key: string; text: string } | undefined): RuleFailure | undefined {
  const noun = type === 'date' ? 'a date' : 'a date-time';
  if (min && key < min.key) return failure('before minimum', `${noun} at or after ${min.text}`, 'an earlier one');
  if (max && key > max.key) return failure('after maximum', `${noun} at or before ${max.text}`, 'a later one');
  return undefined;
}
