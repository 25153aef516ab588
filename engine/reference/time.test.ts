import { describe, expect, it } from 'vitest';
import type { CalendarPeriod, TimeUnit } from '../rules/schema.ts';
import {
  calendarInterval,
  instantOf,
  localDateKey,
  minusUnits,
  parseTimeValue,
  startOfDate,
} from './time.ts';

const s = (iso: string) => Date.parse(iso) / 1000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('parseTimeValue', () => {
  it.each([
    ['2024-03-01T12:00:00+01:00', 'UTC', '2024-03-01T11:00:00.000Z'],
    ['2024-03-01T12:00:00Z', 'Europe/Berlin', '2024-03-01T12:00:00.000Z'],
    ['2024-03-01T12:00:00.999Z', 'UTC', '2024-03-01T12:00:00.000Z'],
    ['2024-03-01T12:00-0530', 'UTC', '2024-03-01T17:30:00.000Z'],
    ['2024-03-01', 'UTC', '2024-03-01T00:00:00.000Z'],
    ['2024-03-01', 'Europe/Berlin', '2024-02-29T23:00:00.000Z'],
    ['2024-07-01', 'America/New_York', '2024-07-01T04:00:00.000Z'],
    ['2024-03-01T12:00:00', 'Europe/Berlin', '2024-03-01T11:00:00.000Z'],
  ])('%s in %s is %s', (value, tz, expected) => {
    expect(iso(parseTimeValue(value, tz)!)).toBe(expected);
  });

  it.each(['', 'yesterday', '2024/03/01', '2024-03-01 12:00', 17])('refuses %j', (value) => {
    expect(parseTimeValue(value, 'UTC')).toBeUndefined();
  });
});

describe('instantOf across DST changes', () => {
  it.each([
    // Berlin springs forward 2024-03-31 02:00 -> 03:00: 02:30 does not exist and reads as 03:30.
    ['Europe/Berlin', [2024, 3, 31, 2, 30], '2024-03-31T01:30:00.000Z'],
    ['Europe/Berlin', [2024, 3, 31, 1, 59], '2024-03-31T00:59:00.000Z'],
    ['Europe/Berlin', [2024, 3, 31, 3, 0], '2024-03-31T01:00:00.000Z'],
    // Berlin falls back 2024-10-27 03:00 -> 02:00: 02:30 happens twice, the first one counts.
    ['Europe/Berlin', [2024, 10, 27, 2, 30], '2024-10-27T00:30:00.000Z'],
    ['America/New_York', [2024, 3, 10, 2, 30], '2024-03-10T07:30:00.000Z'],
    ['America/New_York', [2024, 11, 3, 1, 30], '2024-11-03T05:30:00.000Z'],
  ] as const)('%s %j is %s', (tz, [year, month, day, hour, minute], expected) => {
    expect(iso(instantOf({ year, month, day, hour, minute, second: 0 }, tz))).toBe(expected);
  });

  it('a day that starts with a DST gap starts at its first instant', () => {
    // Sao Paulo sprang forward at midnight on 2018-11-04: the day began at 01:00 local (-02:00).
    expect(iso(startOfDate(2018, 11, 4, 'America/Sao_Paulo'))).toBe('2018-11-04T03:00:00.000Z');
  });
});

describe('minusUnits', () => {
  it.each([
    ['2024-03-10T12:00:00Z', 7, 'day', 'America/New_York', '2024-03-03T12:00:00.000Z'],
    ['2024-03-10T12:00:00Z', 168, 'hour', 'UTC', '2024-03-03T12:00:00.000Z'],
    ['2024-03-10T12:00:00Z', 1, 'week', 'Europe/Berlin', '2024-03-03T12:00:00.000Z'],
    ['2024-03-10T12:00:30Z', 90, 'minute', 'UTC', '2024-03-10T10:30:30.000Z'],
    // 31 March - 1 month = 29 February (leap year), same wall-clock time.
    ['2024-03-31T10:00:00Z', 1, 'month', 'UTC', '2024-02-29T10:00:00.000Z'],
    ['2023-03-31T10:00:00Z', 1, 'month', 'UTC', '2023-02-28T10:00:00.000Z'],
    ['2024-05-31T10:00:00Z', 1, 'month', 'UTC', '2024-04-30T10:00:00.000Z'],
    ['2024-01-15T10:00:00Z', 13, 'month', 'UTC', '2022-12-15T10:00:00.000Z'],
    // Wall-clock time is kept across DST: 12:00 CEST -> 12:00 CET.
    ['2024-04-15T10:00:00Z', 1, 'month', 'Europe/Berlin', '2024-03-15T11:00:00.000Z'],
    // Day of month in the segment's timezone: 1 March 00:30 Berlin is still February in UTC.
    ['2024-02-29T23:30:00Z', 1, 'month', 'Europe/Berlin', '2024-01-31T23:30:00.000Z'],
    ['2024-03-31T22:30:00Z', 1, 'month', 'America/New_York', '2024-02-29T23:30:00.000Z'],
    // 31 May 02:30 Berlin - 2 months = 31 March 02:30, skipped by DST: read as 03:30 CEST.
    ['2024-05-31T00:30:00Z', 2, 'month', 'Europe/Berlin', '2024-03-31T01:30:00.000Z'],
  ] as const)('%s - %i %s in %s is %s', (asOf, n, unit, tz, expected) => {
    expect(iso(minusUnits(s(asOf), n, unit as TimeUnit, tz))).toBe(expected);
  });
});

describe('calendarInterval', () => {
  it.each([
    ['today', '2024-03-31T12:00:00Z', 'Europe/Berlin', '2024-03-30T23:00:00.000Z', false],
    ['yesterday', '2024-03-31T12:00:00Z', 'Europe/Berlin', '2024-03-29T23:00:00.000Z', true],
    // The day after the spring change lasts 23 hours in Berlin: yesterday is 30 Mar 23:00Z-...
    ['yesterday', '2024-04-01T12:00:00Z', 'Europe/Berlin', '2024-03-30T23:00:00.000Z', true],
    ['today', '2024-11-03T12:00:00Z', 'America/New_York', '2024-11-03T04:00:00.000Z', false],
    // 2024-03-31 is a Sunday; its week began on Monday 25 March.
    ['this_week', '2024-03-31T12:00:00Z', 'Europe/Berlin', '2024-03-24T23:00:00.000Z', false],
    ['last_week', '2024-03-31T12:00:00Z', 'Europe/Berlin', '2024-03-17T23:00:00.000Z', true],
    // Monday 00:30 Berlin is Sunday in UTC: the week is the Berlin one.
    ['this_week', '2024-03-24T23:30:00Z', 'Europe/Berlin', '2024-03-24T23:00:00.000Z', false],
    ['this_month', '2024-03-31T23:30:00Z', 'Europe/Berlin', '2024-03-31T22:00:00.000Z', false],
    ['last_month', '2024-01-15T00:00:00Z', 'UTC', '2023-12-01T00:00:00.000Z', true],
    ['last_month', '2024-03-15T00:00:00Z', 'America/New_York', '2024-02-01T05:00:00.000Z', true],
  ] as const)('%s at %s in %s starts %s', (period, asOf, tz, lo, hiOpen) => {
    const interval = calendarInterval(period as CalendarPeriod, s(asOf), tz);
    expect(iso(interval.lo)).toBe(lo);
    expect(interval.loOpen).toBe(false);
    expect(interval.hiOpen).toBe(hiOpen);
  });

  it.each([
    ['yesterday', '2024-04-01T12:00:00Z', 'Europe/Berlin', '2024-03-31T22:00:00.000Z'],
    ['last_week', '2024-03-31T12:00:00Z', 'Europe/Berlin', '2024-03-24T23:00:00.000Z'],
    ['last_month', '2024-04-10T00:00:00Z', 'Europe/Berlin', '2024-03-31T22:00:00.000Z'],
    ['today', '2024-04-10T00:00:07Z', 'Europe/Berlin', '2024-04-10T00:00:07.000Z'],
  ] as const)('%s at %s in %s ends %s', (period, asOf, tz, hi) => {
    expect(iso(calendarInterval(period as CalendarPeriod, s(asOf), tz).hi)).toBe(hi);
  });
});

describe('localDateKey', () => {
  it.each([
    ['2024-03-30T23:30:00Z', 'UTC', '2024-03-30'],
    ['2024-03-30T23:30:00Z', 'Europe/Berlin', '2024-03-31'],
    ['2024-03-31T03:30:00Z', 'America/New_York', '2024-03-30'],
  ])('%s in %s is on %s', (time, tz, expected) => {
    expect(localDateKey(s(time), tz)).toBe(expected);
  });
});
