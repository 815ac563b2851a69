import { describeKind, readNumber } from './exact-number.ts';
import type { TimeWindow } from './spec.ts';

/**
 * Tumbling UTC windows: a time becomes the hour, day or month it falls in, spelled so that windows
 * sort as text in time order: `2024-05-01T13:00:00Z`, `2024-05-01`, `2024-05`.
 */

/**
 * Epoch numbers below this are seconds, above it milliseconds: 1e11 seconds is the year 5138 and
 * 1e11 milliseconds is March 1973, so every time between those years is read right.
 */
export const EPOCH_SECONDS_BELOW = 100_000_000_000;

const EXPECTED = 'an ISO-8601 date-time with a time zone, or epoch seconds or milliseconds';

// Date, then optionally a time with seconds, fraction and zone. Parsed by hand: Date.parse reads
// a time without a zone as local time, which would put records in windows by the server's zone.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

export type TimeReading = { ok: true; ms: number } | { ok: false; expected: string };

function readIso(text: string): TimeReading {
  const match = ISO.exec(text.trim());
  if (!match) return { ok: false, expected: `${EXPECTED}, found a string in another format` };
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  if (hour !== undefined && zulu === undefined && sign === undefined) {
    return { ok: false, expected: 'an ISO-8601 date-time with a time zone (Z or +hh:mm), found one without: which UTC window it falls in depends on the zone' };
  }
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour ?? 0);
  const mi = Number(minute ?? 0);
  const s = Number(second ?? 0);
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes ?? 0));
  // Dates roll 2024-02-30 over into March; a date that does not round-trip does not exist.
  // (setUTCFullYear, not Date.UTC, which reads years 0-99 as 1900-1999.)
  const utc = new Date(0);
  utc.setUTCFullYear(y, mo - 1, d);
  utc.setUTCHours(h, mi, s, ms);
  const valid = utc.getUTCFullYear() === y && utc.getUTCMonth() === mo - 1 && utc.getUTCDate() === d && utc.getUTCHours() === h && utc.getUTCMinutes() === mi && s <= 59 && Number(offsetHours ?? 0) <= 23 && Number(offsetMinutes ?? 0) <= 59;
  if (!valid) return { ok: false, expected: `${EXPECTED}, found a string that is not a real date or time` };
  return { ok: true, ms: utc.getTime() - offset * 60_000 };
}

/** When `value` happened, in epoch milliseconds. */
export function readTime(value: unknown): TimeReading {
  if (typeof value === 'string') return readIso(value);
  const number = readNumber(value);
  if (!number.ok) return { ok: false, expected: `${EXPECTED}, found ${describeKind(value)}` };
  const epoch = Number(number.value.toString());
  return { ok: true, ms: Math.abs(epoch) < EPOCH_SECONDS_BELOW ? epoch * 1000 : epoch };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The window `ms` falls in, or why it cannot be named. */
export function windowOf(ms: number, window: TimeWindow): { ok: true; value: string } | { ok: false; expected: string } {
  const date = new Date(Math.floor(ms));
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 0 || year > 9999) return { ok: false, expected: 'a time in the years 0000-9999, found one outside them' };
  const month = `${pad(year, 4)}-${pad(date.getUTCMonth() + 1)}`;
  if (window === 'month') return { ok: true, value: month };
  const day = `${month}-${pad(date.getUTCDate())}`;
  if (window === 'day') return { ok: true, value: day };
  return { ok: true, value: `${day}T${pad(date.getUTCHours())}:00:00Z` };
}
