import { describe, expect, it } from 'vitest';
import type { Window } from '../rules/schema.ts';
import {
  asOfDayDigits,
  compareDay,
  compareTime,
  rollingStart,
  timeEnv,
  windowRange,
  type TimeRange,
} from './time.ts';
import { at } from './test-support.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** A range as [lower op, lower time, upper op, upper time], for readable expectations. */
function shown(range: TimeRange): unknown {
  if (range.empty) return 'empty';
  return [
    range.lower ? (range.lower.strict ? '>' : '>=') : undefined,
    iso(range.lower?.ms),
    range.upper ? (range.upper.strict ? '<' : '<=') : undefined,
    iso(range.upper?.ms),
  ].filter((x) => x !== undefined);
}

describe('windowRange', () => {
  it.each([
    ['absent: all time', 'UTC', '2024-03-31T12:00:00Z', undefined, []],
    [
      'last 7 days',
      'UTC',
      '2024-03-31T12:00:00Z',
      { last: 7, unit: 'day' },
      ['>', '2024-03-24T12:00:00.000Z'],
    ],
    [
      'last 2 weeks',
      'UTC',
      '2024-03-31T12:00:00Z',
      { last: 2, unit: 'week' },
      ['>', '2024-03-17T12:00:00.000Z'],
    ],
    [
      'last 90 minutes',
      'UTC',
      '2024-03-31T12:00:00Z',
      { last: 90, unit: 'minute' },
      ['>', '2024-03-31T10:30:00.000Z'],
    ],
    [
      'as-of milliseconds are cut',
      'UTC',
      '2024-03-31T12:00:00.900Z',
      { last: 1, unit: 'hour' },
      ['>', '2024-03-31T11:00:00.000Z'],
    ],
    [
      'last 1 month clamps',
      'UTC',
      '2024-03-31T12:00:00Z',
      { last: 1, unit: 'month' },
      ['>', '2024-02-29T12:00:00.000Z'],
    ],
    [
      'last 1 month keeps wall time across DST',
      'Europe/Berlin',
      '2024-04-15T10:00:00Z',
      { last: 1, unit: 'month' },
      ['>', '2024-03-15T11:00:00.000Z'],
    ],
    [
      'last 100000 weeks: before 1970, no bound',
      'UTC',
      '2024-03-31T12:00:00Z',
      { last: 100000, unit: 'week' },
      [],
    ],
    [
      'today, Berlin, spring',
      'Europe/Berlin',
      '2024-03-31T12:00:00Z',
      { calendar: 'today' },
      ['>=', '2024-03-30T23:00:00.000Z'],
    ],
    [
      'yesterday, Berlin, autumn',
      'Europe/Berlin',
      '2024-10-28T12:00:00Z',
      { calendar: 'yesterday' },
      ['>=', '2024-10-26T22:00:00.000Z', '<', '2024-10-27T23:00:00.000Z'],
    ],
    [
      'this_week starts Monday',
      'UTC',
      '2024-03-31T12:00:00Z',
      { calendar: 'this_week' },
      ['>=', '2024-03-25T00:00:00.000Z'],
    ],
    [
      'last_week',
      'UTC',
      '2024-03-25T00:00:00Z',
      { calendar: 'last_week' },
      ['>=', '2024-03-18T00:00:00.000Z', '<', '2024-03-25T00:00:00.000Z'],
    ],
    [
      'this_month',
      'America/New_York',
      '2024-03-01T04:59:59Z',
      { calendar: 'this_month' },
      ['>=', '2024-02-01T05:00:00.000Z'],
    ],
    [
      'last_month',
      'UTC',
      '2024-03-15T00:00:00Z',
      { calendar: 'last_month' },
      ['>=', '2024-02-01T00:00:00.000Z', '<', '2024-03-01T00:00:00.000Z'],
    ],
    [
      'range: date in the timezone',
      'Europe/Berlin',
      '2024-03-31T12:00:00Z',
      { from: '2024-03-01', to: '2024-03-02' },
      ['>=', '2024-02-29T23:00:00.000Z', '<', '2024-03-01T23:00:00.000Z'],
    ],
    [
      'range ending after the as-of time',
      'UTC',
      '2024-03-31T12:00:00Z',
      { from: '2024-03-01', to: '2024-04-01' },
      ['>=', '2024-03-01T00:00:00.000Z'],
    ],
    [
      'range ending just after the as-of time',
      'UTC',
      '2024-03-31T12:00:00Z',
      { from: '2024-03-01', to: '2024-03-31T12:00:01Z' },
      ['>=', '2024-03-01T00:00:00.000Z'],
    ],
    [
      'range ending at the as-of time',
      'UTC',
      '2024-03-31T12:00:00Z',
      { from: '2024-03-01', to: '2024-03-31T12:00:00Z' },
      ['>=', '2024-03-01T00:00:00.000Z', '<', '2024-03-31T12:00:00.000Z'],
    ],
    [
      'range after the as-of time',
      'UTC',
      '2024-03-31T12:00:00Z',
      { from: '2024-04-01', to: '2024-05-01' },
      'empty',
    ],
    [
      'range with from after to',
      'UTC',
      '2024-03-31T12:00:00Z',
      { from: '2024-03-02', to: '2024-03-01' },
      'empty',
    ],
    [
      'range with from equal to to',
      'UTC',
      '2024-03-31T12:00:00Z',
      { from: '2024-03-02', to: '2024-03-02' },
      'empty',
    ],
  ])('%s', (_name, timezone, asOf, window, expected) => {
    const range = windowRange(timeEnv(timezone, at(asOf)), window as Window | undefined, 'window');
    expect(shown(range)).toEqual(expected);
  });
});

const NY = 'America/New_York';

describe('rollingStart', () => {
  it.each([
    ['31 March - 1 month', '2024-03-31T12:00:00Z', 1, '2024-02-29T12:00:00.000Z'],
    ['31 May - 3 months', '2023-05-31T00:00:00Z', 3, '2023-02-28T00:00:00.000Z'],
    ['15 January - 1 month', '2024-01-15T08:30:00Z', 1, '2023-12-15T08:30:00.000Z'],
    // 3 Dec 01:30 EST - 1 month = 3 Nov 01:30, which New York lives twice: the first (EDT).
    ['repeated hour: first', '2024-12-03T06:30:00Z', 1, '2024-11-03T05:30:00.000Z', NY],
    // 10 Apr 02:30 EDT - 1 month = 10 Mar 02:30, skipped: as far after the gap (03:30 EDT).
    ['skipped hour: after the gap', '2024-04-10T06:30:00Z', 1, '2024-03-10T07:30:00.000Z', NY],
    ['no DST change: same wall time', '2024-07-15T16:00:00Z', 1, '2024-06-15T16:00:00.000Z', NY],
  ])('%s', (_name, asOf, months, expected, timezone = 'UTC') => {
    expect(iso(rollingStart(timeEnv(timezone, at(asOf)), months, 'month'))).toBe(expected);
  });
});

describe('compareTime', () => {
  it.each([
    ['in range', '>', 0, "x > toDateTime('1970-01-01 00:00:00', 'UTC')"],
    ['before 1970, greater', '>', -1000, 'isNotNull(x)'],
    ['before 1970, less', '<', -1000, '0'],
    ['after 2106, less', '<=', 4294967296_000, 'isNotNull(x)'],
    ['after 2106, greater', '>=', 4294967296_000, '0'],
  ] as const)('%s', (_name, op, ms, expected) => {
    expect(compareTime('x', op, ms).sql).toBe(expected);
  });
});

describe('compareDay', () => {
  // m(x) is midnight UTC of the date x; each case is m(x) op B as a comparison of dates.
  it.each([
    ['< midnight: dates before it', '<', '2000-02-29T00:00:00Z', 'x < 20000229'],
    ['< a second after midnight: up to that date', '<', '2000-02-29T00:00:01Z', 'x < 20000301'],
    ['<= midnight: up to that date', '<=', '2000-02-29T00:00:00Z', 'x <= 20000229'],
    ['<= a second before midnight', '<=', '2000-02-28T23:59:59Z', 'x <= 20000228'],
    ['> midnight: dates after it', '>', '2000-02-29T00:00:00Z', 'x > 20000229'],
    ['> a second before midnight: from that midnight', '>', '2000-02-28T23:59:59Z', 'x > 20000228'],
    ['>= midnight: from that date', '>=', '2000-02-29T00:00:00Z', 'x >= 20000229'],
    [
      '>= a second after midnight: from the next date',
      '>=',
      '2000-02-29T00:00:01Z',
      'x >= 20000301',
    ],
    ['before 1970', '>=', '1935-06-15T12:00:00Z', 'x >= 19350616'],
    ['the first second of 1970', '<', '1970-01-01T00:00:00Z', 'x < 19700101'],
    ['the last second of 1969', '<=', '1969-12-31T23:59:59Z', 'x <= 19691231'],
    ['year 1', '>', '0001-01-01T00:00:00Z', 'x > 10101'],
    ['before year 1, greater', '>', '0000-12-31T23:59:59Z', 'isNotNull(x)'],
    ['before year 1, greater or equal', '>=', '-000100-06-01T00:00:00Z', 'isNotNull(x)'],
    ['before year 1, less', '<', '-000100-06-01T00:00:00Z', '0'],
    ['before year 1, less or equal', '<=', '0000-12-31T23:59:59Z', '0'],
    ['year 9999', '<=', '9999-12-31T23:59:59Z', 'x <= 99991231'],
    ['after year 9999, less', '<', '9999-12-31T00:00:01Z', 'isNotNull(x)'],
    ['after year 9999, less or equal', '<=', '+010000-01-01T00:00:00Z', 'isNotNull(x)'],
    ['after year 9999, greater', '>', '+010000-01-01T00:00:00Z', '0'],
    ['after year 9999, greater or equal', '>=', '9999-12-31T00:00:01Z', '0'],
  ] as const)('%s', (_name, op, time, expected) => {
    expect(compareDay('x', op, Date.parse(time)).sql).toBe(expected);
  });
});

describe('asOfDayDigits', () => {
  it.each([
    ['UTC', '2024-02-29T23:59:59Z', 20240229],
    ['Pacific/Kiritimati', '2024-02-29T10:00:00Z', 20240301],
    ['America/New_York', '2024-03-01T04:59:59Z', 20240229],
    ['America/New_York', '2024-03-01T05:00:00Z', 20240301],
  ])('%s at %s is %s', (timezone, asOf, expected) => {
    expect(asOfDayDigits(timeEnv(timezone, Date.parse(asOf)))).toBe(expected);
  });
});
