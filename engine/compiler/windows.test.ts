// Windows end to end on real ClickHouse: one player per probe time, each with one deposit, so a
// window's member set is exactly the probes it contains. Calendar windows are checked in
// Europe/Berlin on the days the clocks change (2024-03-31 and 2024-10-27).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { insertEvents, type EventRow } from '../store/events.ts';
import { insertPlayers } from '../store/players.ts';
import { allOf, at, members } from './test-support.ts';

const BERLIN = 'Europe/Berlin';
const SPRING = at('2024-03-31T12:00:00Z'); // Sunday; clocks went forward at 01:00Z
const AUTUMN = at('2024-10-27T12:00:00Z'); // Sunday; clocks went back at 01:00Z

const PROBES: Record<string, string> = {
  s01: '2024-03-31T12:00:00Z', // the as-of time
  s02: '2024-03-31T12:00:01Z', // one second in the future
  s03: '2024-03-30T23:00:00Z', // start of today in Berlin
  s04: '2024-03-30T22:59:59Z',
  s05: '2024-03-29T23:00:00Z', // start of yesterday
  s06: '2024-03-29T22:59:59Z',
  s07: '2024-03-24T23:00:00Z', // start of this week (Monday 25th)
  s08: '2024-03-24T22:59:59Z',
  s09: '2024-03-17T23:00:00Z', // start of last week
  s10: '2024-03-17T22:59:59Z',
  s11: '2024-02-29T23:00:00Z', // start of this month
  s12: '2024-02-29T22:59:59Z',
  s13: '2024-01-31T23:00:00Z', // start of last month
  s14: '2024-01-31T22:59:59Z',
  s15: '2024-02-29T13:00:00Z', // as-of minus 1 month (31 March clamps to 29 February)
  s16: '2024-02-29T13:00:01Z',
  a01: '2024-10-26T22:00:00Z', // start of today (00:00 CEST)
  a02: '2024-10-26T21:59:59Z',
  a03: '2024-10-25T22:00:00Z', // start of yesterday
  a04: '2024-10-25T21:59:59Z',
  a05: '2024-10-27T00:30:00Z', // 02:30 CEST, the first of the repeated hour
  a06: '2024-10-27T01:30:00Z', // 02:30 CET, the second
  a07: '2024-10-20T22:00:00Z', // start of this week (Monday 21st)
  a08: '2024-10-20T21:59:59Z',
  a09: '2024-09-30T22:00:00Z', // start of this month
  a10: '2024-09-30T21:59:59Z',
};

/** Logins for day counting: Berlin days differ from UTC days around midnight. */
const LOGINS: Record<string, string[]> = {
  cd1: ['2024-03-30T23:30:00Z', '2024-03-31T01:30:00Z', '2024-03-31T10:00:00Z'],
  cd2: ['2024-10-26T22:30:00Z', '2024-10-27T22:30:00Z'],
};

function events(): EventRow[] {
  const deposits = Object.entries(PROBES).map(([player, iso]) => ({
    event_id: `dep-${player}`,
    player_id: player,
    type: 'deposit',
    event_time: at(iso),
    amount: '1',
  }));
  const logins = Object.entries(LOGINS).flatMap(([player, times]) =>
    times.map((iso, i) => ({
      event_id: `login-${player}-${i}`,
      player_id: player,
      type: 'login',
      event_time: at(iso),
    })),
  );
  return [...deposits, ...logins];
}

const deposited = (window: unknown) =>
  allOf({ list: 'deposits', window, measure: 'count', op: 'gte', value: 1 });

type Case = [string, unknown, string, number, string[]];

const SPRING_CASES: Case[] = [
  ['today', { calendar: 'today' }, BERLIN, SPRING, ['s01', 's03']],
  ['yesterday', { calendar: 'yesterday' }, BERLIN, SPRING, ['s04', 's05']],
  [
    'this_week',
    { calendar: 'this_week' },
    BERLIN,
    SPRING,
    ['s01', 's03', 's04', 's05', 's06', 's07'],
  ],
  ['last_week', { calendar: 'last_week' }, BERLIN, SPRING, ['s08', 's09']],
  [
    'this_month',
    { calendar: 'this_month' },
    BERLIN,
    SPRING,
    ['s01', 's03', 's04', 's05', 's06', 's07', 's08', 's09', 's10', 's11'],
  ],
  ['last_month', { calendar: 'last_month' }, BERLIN, SPRING, ['s12', 's13', 's15', 's16']],
  ['today in UTC', { calendar: 'today' }, 'UTC', SPRING, ['s01']],
  ['yesterday in UTC', { calendar: 'yesterday' }, 'UTC', SPRING, ['s03', 's04']],
  [
    'this_week in UTC',
    { calendar: 'this_week' },
    'UTC',
    SPRING,
    ['s01', 's03', 's04', 's05', 's06'],
  ],
  ['last 1 day', { last: 1, unit: 'day' }, BERLIN, SPRING, ['s01', 's03', 's04']],
  ['last 24 hours', { last: 24, unit: 'hour' }, BERLIN, SPRING, ['s01', 's03', 's04']],
  [
    'last 1 month (clamped to 29 February)',
    { last: 1, unit: 'month' },
    BERLIN,
    SPRING,
    ['s01', 's03', 's04', 's05', 's06', 's07', 's08', 's09', 's10', 's11', 's12', 's16'],
  ],
  [
    'dates: from included, to excluded',
    { from: '2024-03-30', to: '2024-03-31' },
    BERLIN,
    SPRING,
    ['s04', 's05'],
  ],
  [
    'range ending after the as-of time',
    { from: '2024-03-31T00:00:00+01:00', to: '2025-01-01' },
    BERLIN,
    SPRING,
    ['s01', 's03'],
  ],
  ['range after the as-of time', { from: '2024-04-01', to: '2024-05-01' }, BERLIN, SPRING, []],
];

const AUTUMN_CASES: Case[] = [
  ['today has 25 hours', { calendar: 'today' }, BERLIN, AUTUMN, ['a01', 'a05', 'a06']],
  ['yesterday', { calendar: 'yesterday' }, BERLIN, AUTUMN, ['a02', 'a03']],
  [
    'this_week',
    { calendar: 'this_week' },
    BERLIN,
    AUTUMN,
    ['a01', 'a02', 'a03', 'a04', 'a05', 'a06', 'a07'],
  ],
  ['last_week', { calendar: 'last_week' }, BERLIN, AUTUMN, ['a08']],
  [
    'this_month',
    { calendar: 'this_month' },
    BERLIN,
    AUTUMN,
    ['a01', 'a02', 'a03', 'a04', 'a05', 'a06', 'a07', 'a08', 'a09'],
  ],
  ['last_month', { calendar: 'last_month' }, BERLIN, AUTUMN, ['a10']],
  [
    'last 1 day is 24 hours',
    { last: 1, unit: 'day' },
    BERLIN,
    AUTUMN,
    ['a01', 'a02', 'a05', 'a06'],
  ],
];

describe('windows (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('compiler_windows');
    const players = [...Object.keys(PROBES), ...Object.keys(LOGINS)];
    await insertPlayers(
      db.store,
      players.map((id) => ({ player_id: id, version: 1 })),
    );
    await insertEvents(db.store, events());
  });
  afterAll(() => db.drop());

  it.each([...SPRING_CASES, ...AUTUMN_CASES])(
    '%s',
    async (_name, window, timezone, asOf, expected) => {
      expect(await members(db.store, deposited(window), { timezone, asOf })).toEqual(expected);
    },
  );

  const days = (value: number, window?: unknown) =>
    allOf({
      list: 'logins',
      measure: 'count_days',
      op: 'eq',
      value,
      ...(window ? { window } : {}),
    });
  const OCTOBER = { from: '2024-10-01', to: '2024-11-01' };

  it.each([
    ['spring, Berlin: one day', days(1), BERLIN, SPRING, ['cd1']],
    ['spring, UTC: two days', days(2), 'UTC', SPRING, ['cd1']],
    [
      'autumn, Berlin: the 25-hour day is one day',
      days(1, OCTOBER),
      BERLIN,
      AUTUMN + 2 * 86_400_000,
      ['cd2'],
    ],
    ['autumn, UTC: two days', days(2, OCTOBER), 'UTC', AUTUMN + 2 * 86_400_000, ['cd2']],
  ])('count_days in the segment timezone: %s', async (_name, rule, timezone, asOf, expected) => {
    expect(await members(db.store, rule, { timezone, asOf })).toEqual(expected);
  });
});
