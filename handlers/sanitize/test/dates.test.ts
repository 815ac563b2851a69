import { describe, expect, it } from 'vitest';
import { compileDateFormat } from '../rules/date-format.ts';
import { localToInstant } from '../rules/time-zone.ts';
import { wallSeconds } from '../rules/calendar.ts';
import { read } from './helpers.ts';

describe('date columns', () => {
  it('read the declared formats, in order, to YYYY-MM-DD', () => {
    const rule = { type: 'date', formats: ['YYYY-MM-DD', 'DD/MM/YYYY', 'D.M.YYYY', 'YYYYMMDD', '[on ]D/M/YYYY'] } as const;
    expect(read(rule, '2026-11-29')).toBe('2026-11-29');
    expect(read(rule, '29/11/2026')).toBe('2026-11-29');
    expect(read(rule, '9.1.2026')).toBe('2026-01-09');
    expect(read(rule, '20261129')).toBe('2026-11-29');
    expect(read(rule, 'on 1/2/2026')).toBe('2026-02-01');
    // The first format that reads it wins: 01/02 is 1 February by DD/MM/YYYY.
    expect(read({ type: 'date', formats: ['DD/MM/YYYY', 'MM/DD/YYYY'] }, '01/02/2026')).toBe('2026-02-01');
    expect(read({ type: 'date', formats: ['MM/DD/YYYY', 'DD/MM/YYYY'] }, '01/02/2026')).toBe('2026-01-02');
    expect(read({ type: 'date', formats: ['MM/DD/YYYY', 'DD/MM/YYYY'] }, '29/11/2026')).toBe('2026-11-29');
  });

  it('default to YYYY-MM-DD', () => {
    expect(read({ type: 'date' }, '2024-02-29')).toBe('2024-02-29');
    expect(read({ type: 'date' }, '29/02/2024')).toEqual(['expected a date as YYYY-MM-DD, found text of 10 characters']);
  });

  it('reject impossible dates', () => {
    expect(read({ type: 'date' }, '2026-02-29')).toEqual(['expected a date as YYYY-MM-DD, found a month, day or time out of range']);
    expect(read({ type: 'date' }, '2026-13-01')).toEqual(['expected a date as YYYY-MM-DD, found a month, day or time out of range']);
    expect(read({ type: 'date' }, '2026-04-31')).toEqual(['expected a date as YYYY-MM-DD, found a month, day or time out of range']);
    expect(read({ type: 'date' }, '1900-02-29')).toEqual(['expected a date as YYYY-MM-DD, found a month, day or time out of range']);
    expect(read({ type: 'date' }, '2000-02-29')).toBe('2000-02-29');
  });

  it('check min and max', () => {
    const rule = { type: 'date', min: '2020-01-01', max: '2020-12-31' } as const;
    expect(read(rule, '2020-06-15')).toBe('2020-06-15');
    expect(read(rule, '2019-12-31')).toEqual(['expected a date at or after 2020-01-01, found an earlier one']);
    expect(read(rule, '2021-01-01')).toEqual(['expected a date at or before 2020-12-31, found a later one']);
  });
});

describe('datetime columns', () => {
  it('give ISO-8601 in UTC from zones and offsets', () => {
    expect(read({ type: 'datetime' }, '2026-11-29T10:14:00Z')).toBe('2026-11-29T10:14:00Z');
    expect(read({ type: 'datetime' }, '2026-11-29T10:14:00+02:00')).toBe('2026-11-29T08:14:00Z');
    expect(read({ type: 'datetime' }, '2026-11-29T01:14:00+0530')).toBe('2026-11-28T19:44:00Z');
    expect(read({ type: 'datetime' }, '2026-12-31T23:30:00-01')).toBe('2027-01-01T00:30:00Z');
    expect(read({ type: 'datetime' }, '2026-11-29T10:14:00.250Z')).toBe('2026-11-29T10:14:00.25Z');
    expect(read({ type: 'datetime' }, '2026-11-29T10:14:00.000Z')).toBe('2026-11-29T10:14:00Z');
    expect(read({ type: 'datetime' }, '2026-11-29T10:14:00.123456789Z')).toBe('2026-11-29T10:14:00.123456789Z');
  });

  it('read several formats, epoch seconds and milliseconds', () => {
    const rule = { type: 'datetime', formats: ['YYYY-MM-DDTHH:mm:ssZ', 'YYYY-MM-DD HH:mm:ssZ', 'epochSeconds', 'epochMillis'] } as const;
    expect(read(rule, '2026-11-27 15:21:00Z')).toBe('2026-11-27T15:21:00Z');
    expect(read(rule, '1795961640')).toBe('2026-11-29T14:14:00Z');
    expect(read(rule, 1795961640)).toBe('2026-11-29T14:14:00Z');
    expect(read({ type: 'datetime', formats: ['epochSeconds'] }, '1795961640.5')).toBe('2026-11-29T14:14:00.5Z');
    expect(read({ type: 'datetime', formats: ['epochSeconds'] }, '-1.25')).toBe('1969-12-31T23:59:58.75Z');
    expect(read({ type: 'datetime', formats: ['epochMillis'] }, '1795961640123')).toBe('2026-11-29T14:14:00.123Z');
    expect(read({ type: 'datetime', formats: ['epochMillis'] }, '-1')).toBe('1969-12-31T23:59:59.999Z');
    expect(read(rule, 'not a date')).toEqual(['expected a date-time as YYYY-MM-DDTHH:mm:ssZ, YYYY-MM-DD HH:mm:ssZ, epoch seconds or epoch milliseconds, found text of 10 characters']);
  });

  it('read times without a zone in the declared timezone', () => {
    const paris = { type: 'datetime', formats: ['DD/MM/YYYY HH:mm'], timezone: 'Europe/Paris' } as const;
    expect(read(paris, '29/11/2026 10:14')).toBe('2026-11-29T09:14:00Z');
    expect(read(paris, '01/07/2026 10:14')).toBe('2026-07-01T08:14:00Z');
    expect(read({ type: 'datetime', formats: ['YYYY-MM-DD HH:mm:ss'], timezone: 'America/New_York' }, '2026-11-29 10:14:00')).toBe('2026-11-29T15:14:00Z');
    expect(read({ type: 'datetime', formats: ['YYYY-MM-DD HH:mm'], timezone: 'UTC' }, '2026-11-29 10:14')).toBe('2026-11-29T10:14:00Z');
  });

  it('reject a local time a daylight-saving change skips, and read a repeated one as the earlier instant', () => {
    const paris = { type: 'datetime', formats: ['YYYY-MM-DD HH:mm'], timezone: 'Europe/Paris' } as const;
    expect(read(paris, '2026-03-29 02:30')).toEqual(['expected a local time that exists in Europe/Paris, found one skipped by a daylight-saving change']);
    expect(read(paris, '2026-10-25 02:30')).toBe('2026-10-25T00:30:00Z');
    expect(read(paris, '2026-10-25 03:30')).toBe('2026-10-25T02:30:00Z');
  });

  it('reject out-of-range fields and years outside 0000-9999', () => {
    expect(read({ type: 'datetime' }, '2026-11-29T24:00:00Z')).toEqual(['expected a date-time as YYYY-MM-DDTHH:mm:ssZ or YYYY-MM-DDTHH:mm:ss.SSSZ, found a month, day or time out of range']);
    expect(read({ type: 'datetime' }, '2026-11-29T10:60:00Z')).toEqual(['expected a date-time as YYYY-MM-DDTHH:mm:ssZ or YYYY-MM-DDTHH:mm:ss.SSSZ, found a month, day or time out of range']);
    expect(read({ type: 'datetime' }, '2026-11-29T10:00:00+24:00')).toEqual(['expected a date-time as YYYY-MM-DDTHH:mm:ssZ or YYYY-MM-DDTHH:mm:ss.SSSZ, found a month, day or time out of range']);
    expect(read({ type: 'datetime' }, '9999-12-31T23:30:00-01:00')).toEqual(['expected a date-time in the years 0000-9999 (UTC), found one outside them']);
    expect(read({ type: 'datetime' }, '0000-01-01T00:00:00Z')).toBe('0000-01-01T00:00:00Z');
    expect(read({ type: 'datetime', formats: ['epochSeconds'] }, '999999999999')).toEqual(['expected a date-time in the years 0000-9999 (UTC), found one outside them']);
  });

  it('compare with min and max as instants, fractions included', () => {
    const rule = { type: 'datetime', formats: ['YYYY-MM-DDTHH:mm:ssZ', 'YYYY-MM-DDTHH:mm:ss.SSSZ'], min: '2026-01-01', max: '2026-11-29T10:00:00+01:00' } as const;
    expect(read(rule, '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
    expect(read(rule, '2025-12-31T23:59:59.999Z')).toEqual(['expected a date-time at or after 2026-01-01T00:00:00Z, found an earlier one']);
    expect(read(rule, '2026-11-29T09:00:00Z')).toBe('2026-11-29T09:00:00Z');
    expect(read(rule, '2026-11-29T09:00:00.001Z')).toEqual(['expected a date-time at or before 2026-11-29T09:00:00Z, found a later one']);
  });
});

describe('date formats', () => {
  it('refuse letters that are not tokens, and repeated fields', () => {
    expect(compileDateFormat('YYYY-MM-DD hh:mm')).toEqual({ ok: false, message: '"h" at character 12 is no token (write literal letters in [brackets])' });
    expect(compileDateFormat('YY-MM-DD')).toMatchObject({ ok: false });
    expect(compileDateFormat('YYYY-MM-DD [UTC')).toEqual({ ok: false, message: 'an unclosed [ at character 12' });
    expect(compileDateFormat('YYYY-MM-DD YYYY')).toEqual({ ok: false, message: 'the year appears twice' });
  });

  it('treat regex characters in the format as literal text', () => {
    const compiled = compileDateFormat('YYYY.MM.DD');
    expect(compiled.ok && compiled.format.kind === 'pattern' && compiled.format.regex.test('2026x11x29')).toBe(false);
    expect(read({ type: 'date', formats: ['YYYY.MM.DD'] }, '2026.11.29')).toBe('2026-11-29');
  });
});

describe('time zones', () => {
  it('find the instant of a local time, or none in a gap', () => {
    const wall = wallSeconds({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 });
    expect(localToInstant(wall, 'America/New_York')).toBeUndefined();
    const after = wallSeconds({ year: 2026, month: 3, day: 8, hour: 3, minute: 30, second: 0 });
    expect(new Date(localToInstant(after, 'America/New_York')! * 1000).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(new Date(localToInstant(after, 'Asia/Kolkata')! * 1000).toISOString()).toBe('2026-03-07T22:00:00.000Z');
  });
});
