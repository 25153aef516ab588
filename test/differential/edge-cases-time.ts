// Edge cases about time: windows across DST changes, calendar periods in the segment's
// timezone, month arithmetic, whole-second times, date-only values.
import type { EdgeCase } from './edge-cases.ts';
import { count, deposit, player } from './edge-cases.ts';

const lastMonth = { last: 1, unit: 'month' };

export const TIME_CASES: EdgeCase[] = [
  {
    // 10 Apr 02:30 EDT - 1 month = 10 Mar 02:30, skipped by DST: read as 03:30 EDT (07:30Z).
    name: 'a month window starting in a skipped hour (New York)',
    timezone: 'America/New_York',
    asOf: '2024-04-10T06:30:00Z',
    rule: count(lastMonth),
    events: [deposit('a', '2024-03-10T07:15:00Z'), deposit('b', '2024-03-10T07:45:00Z')],
    expected: ['b'],
  },
  {
    // 3 Dec 01:30 EST - 1 month = 3 Nov 01:30, which happens twice: the first (EDT, 05:30Z).
    name: 'a month window starting in a repeated hour (New York)',
    timezone: 'America/New_York',
    asOf: '2024-12-03T06:30:00Z',
    rule: count(lastMonth),
    events: [deposit('a', '2024-11-03T05:45:00Z'), deposit('b', '2024-11-03T05:15:00Z')],
    expected: ['a'],
  },
  {
    name: 'within_last 1 month on 31 March reaches back to 29 February (clamped)',
    asOf: '2024-03-31T10:00:00Z',
    rule: { field: 'registered_at', op: 'within_last', value: lastMonth },
    players: [
      player('a', { registered_at: Date.parse('2024-02-29T10:00:00Z') }),
      player('b', { registered_at: Date.parse('2024-02-29T10:00:01Z') }),
      player('c', { registered_at: Date.parse('2024-03-31T10:00:01Z') }),
    ],
    expected: ['b'],
  },
  {
    name: 'a future time is not within_last, so it is not_within_last (as is a missing one)',
    asOf: '2024-03-31T10:00:00Z',
    rule: { field: 'registered_at', op: 'not_within_last', value: { last: 1, unit: 'day' } },
    players: [
      player('a', { registered_at: Date.parse('2024-03-31T10:00:01Z') }),
      player('b', { registered_at: Date.parse('2024-03-31T10:00:00Z') }),
      player('c'),
    ],
    expected: ['a', 'c'],
  },
  {
    // Yesterday is 31 March in Berlin, a 23-hour day: 30 Mar 23:00Z to 31 Mar 22:00Z.
    name: 'yesterday over the spring DST change (Berlin)',
    timezone: 'Europe/Berlin',
    asOf: '2024-04-01T10:00:00Z',
    rule: count({ calendar: 'yesterday' }),
    events: [
      deposit('a', '2024-03-30T23:00:00Z'),
      deposit('b', '2024-03-31T22:00:00Z'),
      deposit('c', '2024-03-30T22:59:59Z'),
    ],
    expected: ['a'],
  },
  {
    // 24 Mar 23:30Z is Monday 00:30 in Berlin: the week began 30 minutes ago.
    name: 'this_week starts on Monday in the segment timezone',
    timezone: 'Europe/Berlin',
    asOf: '2024-03-24T23:30:00Z',
    rule: count({ calendar: 'this_week' }),
    events: [deposit('a', '2024-03-24T23:00:00Z'), deposit('b', '2024-03-24T22:59:59Z')],
    expected: ['a'],
  },
  {
    name: 'last_month in New York is January in New York',
    timezone: 'America/New_York',
    asOf: '2024-03-01T04:59:59Z',
    rule: count({ calendar: 'last_month' }),
    events: [
      deposit('a', '2024-01-31T23:00:00Z'),
      deposit('b', '2024-02-01T05:00:00Z'),
      deposit('c', '2024-01-01T04:59:59Z'),
    ],
    expected: ['a'],
  },
  {
    name: 'from/to takes A <= t < B and dates at midnight in the segment timezone',
    timezone: 'America/New_York',
    asOf: '2024-06-01T00:00:00Z',
    rule: count({ from: '2024-03-01', to: '2024-03-02' }),
    events: [
      deposit('a', '2024-03-01T05:00:00Z'),
      deposit('b', '2024-03-02T05:00:00Z'),
      deposit('c', '2024-03-01T04:59:59Z'),
    ],
    expected: ['a'],
  },
  {
    name: 'count_days counts calendar days in the segment timezone',
    timezone: 'Europe/Berlin',
    asOf: '2024-04-30T00:00:00Z',
    rule: { list: 'deposits', measure: 'count_days', op: 'eq', value: 2 },
    events: [
      deposit('a', '2024-03-29T22:30:00Z'),
      deposit('a', '2024-03-29T23:30:00Z'),
      deposit('b', '2024-03-29T10:00:00Z'),
      deposit('b', '2024-03-29T20:00:00Z'),
    ],
    expected: ['a'],
  },
  {
    // 27 Oct 2024 lasts 25 hours in Berlin: 26 Oct 22:00Z to 27 Oct 23:00Z.
    name: 'count_days over the autumn DST change (Berlin)',
    timezone: 'Europe/Berlin',
    asOf: '2024-11-01T00:00:00Z',
    rule: { list: 'deposits', measure: 'count_days', op: 'eq', value: 1 },
    events: [
      deposit('a', '2024-10-26T22:00:00Z'),
      deposit('a', '2024-10-27T22:59:59Z'),
      deposit('b', '2024-10-26T21:59:59Z'),
      deposit('b', '2024-10-26T22:00:00Z'),
    ],
    expected: ['a'],
  },
  {
    // Times are whole seconds: the event is stored at 12:00:00, as-of counts as 12:00:00.
    name: 'an event in the same second as the as-of time counts',
    asOf: '2024-03-01T12:00:00.500Z',
    rule: count(undefined),
    events: [deposit('a', '2024-03-01T12:00:00.900Z'), deposit('b', '2024-03-01T12:00:01.000Z')],
    expected: ['a'],
  },
  {
    name: 'a date alone is midnight in the segment timezone',
    timezone: 'America/New_York',
    asOf: '2024-04-01T00:00:00Z',
    rule: { field: 'registered_at', op: 'before', value: '2024-03-01' },
    players: [
      player('a', { registered_at: Date.parse('2024-03-01T04:59:59Z') }),
      player('b', { registered_at: Date.parse('2024-03-01T05:00:00Z') }),
    ],
    expected: ['a'],
  },
  {
    name: 'a birth_date is midnight UTC of its date',
    timezone: 'Europe/Berlin',
    asOf: '2024-04-01T00:00:00Z',
    rule: {
      field: 'birth_date',
      op: 'between',
      value: ['2000-01-01T00:00:00Z', '2000-01-01T00:00:01Z'],
    },
    players: [player('a', { birth_date: '2000-01-01' }), player('b', { birth_date: '2000-01-02' })],
    expected: ['a'],
  },
  {
    // 23:10Z on 10 March is 00:10 on 11 March in Berlin: "today" for the Berlin segment.
    name: 'a referenced segment is evaluated in its own timezone',
    timezone: 'UTC',
    asOf: '2024-03-10T23:30:00Z',
    rule: {
      include: { all: [{ segment: 'berlin-today', op: 'in' }] },
      exclude: { any: [{ field: 'country', op: 'eq', value: 'AT' }] },
    },
    players: [player('a'), player('b'), player('c', { country: 'AT' })],
    events: [
      deposit('a', '2024-03-10T23:10:00Z'),
      deposit('b', '2024-03-10T22:50:00Z'),
      deposit('c', '2024-03-10T23:10:00Z'),
    ],
    segments: [
      {
        id: 'berlin-today',
        timezone: 'Europe/Berlin',
        rule: { include: { all: [count({ calendar: 'today' })] } },
      },
    ],
    expected: ['a'],
  },
];
