import { wallSeconds } from './calendar.ts';

/**
 * Local times in an IANA zone turned into instants, with the zone rules the runtime's Intl
 * carries (no Temporal on Node 20). A zone's offset at an instant is the wall clock Intl shows
 * there minus the instant; a local time is the instant whose offset puts it at that wall clock.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in seconds. */
export function offsetAt(seconds: number, timeZone: string): number {
  const fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  let bc = false;
  for (const part of formatterFor(timeZone).formatToParts(new Date(seconds * 1000))) {
    if (part.type === 'era') bc = part.value.startsWith('B');
    else if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  if (bc) fields.year = 1 - fields.year;
  return wallSeconds(fields) - seconds;
}

/**
 * The instant of a wall-clock time (given as seconds, read as if UTC) in `timeZone`: the earlier
 * one when the clock shows it twice (a daylight-saving change back), undefined when it never
 * shows it (a change forward skips it).
 */
export function localToInstant(wall: number, timeZone: string): number | undefined {
  // The offsets a day before and after cover both sides of any change near this time.
  const offsets = new Set([offsetAt(wall - 86400, timeZone), offsetAt(wall + 86400, timeZone)]);
  let found: number | undefined;
  for (const offset of offsets) {
    const instant = wall - offset;
    if (offsetAt(instant, timeZone) === offset && (found === undefined || instant < found)) found = instant;
  }
  return found;
}
