// Times and counts as the UI shows them (ui/src/lib/format.ts): one style for tables and chart
// axes, ISO-like and 24-hour, and axis counts short enough to fit (100k, not a cut "00,000").
import { describe, expect, it } from 'vitest';
import { axisCount, clock, dateTime, day, timeTicks, trendText } from '../../ui/src/lib/format.ts';

// Local times, as the UI shows them in the browser's zone.
const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  new Date(y, mo - 1, d, h, mi, s).getTime();

describe('dateTime, day and clock', () => {
  it.each<[string, string, string]>([
    ['a morning', dateTime(at(2026, 12, 4, 7, 29, 55)), '2026-12-04 07:29:55'],
    ['an afternoon is 24-hour', dateTime(at(2026, 1, 9, 19, 5, 0)), '2026-01-09 19:05:00'],
    ['midnight', dateTime(at(2026, 12, 31, 0, 0, 1)), '2026-12-31 00:00:01'],
    ['day alone', day(at(2026, 3, 7, 23, 59)), '2026-03-07'],
    ['clock to the minute', clock(at(2026, 3, 7, 7, 25, 40)), '07:25'],
    ['clock to the second', clock(at(2026, 3, 7, 7, 25, 40), true), '07:25:40'],
  ])('%s', (_name, shown, expected) => {
    expect(shown).toBe(expected);
  });

  it.each([['12/4/26'], ['7:25am'], ['04/12/2026']])('never reads like %s', (us) => {
    expect(dateTime(at(2026, 12, 4, 7, 25))).not.toContain(us);
  });
});

describe('timeTicks', () => {
  const s = (ms: number) => ms / 1000;
  it.each<[string, number[], string[]]>([
    [
      'minutes apart show the time, the day where it starts',
      [s(at(2026, 12, 4, 7, 20)), s(at(2026, 12, 4, 7, 25)), s(at(2026, 12, 4, 7, 30))],
      ['07:20\n2026-12-04', '07:25', '07:30'],
    ],
    [
      'the day is added where it changes',
      [s(at(2026, 12, 4, 22)), s(at(2026, 12, 5, 0)), s(at(2026, 12, 5, 2))],
      ['22:00\n2026-12-04', '00:00\n2026-12-05', '02:00'],
    ],
    [
      'days apart show the day only',
      [s(at(2026, 12, 1)), s(at(2026, 12, 2)), s(at(2026, 12, 3))],
      ['2026-12-01', '2026-12-02', '2026-12-03'],
    ],
    [
      'seconds apart show seconds',
      [s(at(2026, 12, 4, 7, 0, 10)), s(at(2026, 12, 4, 7, 0, 20))],
      ['07:00:10\n2026-12-04', '07:00:20'],
    ],
    ['no ticks, no labels', [], []],
  ])('%s', (_name, ticks, expected) => {
    expect(timeTicks(ticks)).toEqual(expected);
  });
});

describe('axisCount', () => {
  it.each<[number, string]>([
    [0, '0'],
    [950, '950'],
    [9_999, '9,999'],
    [10_000, '10K'],
    [100_000, '100K'],
    [1_250_000, '1.3M'],
    [-20_000, '-20K'],
    [2.5, ''],
  ])('%d reads %s', (value, expected) => {
    expect(axisCount(value)).toBe(expected);
  });
});

describe('trendText', () => {
  const seven = at(2026, 12, 4, 7, 25) / 1000;
  it.each<[string, Parameters<typeof trendText>[0], string]>([
    ['not known yet', undefined, '±0 in 1 h'],
    ['grown over the hour', { change: 1_200 }, '+1,200 in 1 h'],
    ['shrunk', { change: -3 }, '−3 in 1 h'],
    ['unchanged', { change: 0 }, '±0 in 1 h'],
    ['computed within the hour, unchanged since', { change: 0, since: seven }, 'new this hour'],
    [
      'computed within the hour, grown since',
      { change: 4, since: seven },
      'new this hour, +4 since 07:25',
    ],
    [
      'computed within the hour, shrunk since',
      { change: -2, since: seven },
      'new this hour, −2 since 07:25',
    ],
  ])('%s', (_name, moved, expected) => {
    expect(trendText(moved)).toBe(expected);
  });
});
