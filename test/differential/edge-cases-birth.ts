// Edge cases about birth dates and age: dates before 1970, birthdays on and around the as-of
// date (in the segment's timezone), 29 February, birth dates after the as-of date, and missing
// birth dates.
import type { EdgeCase } from './edge-cases.ts';
import { player } from './edge-cases.ts';

const age = (op: string, value?: unknown) =>
  value === undefined ? { field: 'age', op } : { field: 'age', op, value };

/** a is 18 on the as-of date, b turns 18 the day after, c has no birth date. */
const EIGHTEEN = [
  player('a', { birth_date: '2006-03-31' }),
  player('b', { birth_date: '2006-04-01' }),
  player('c'),
];

export const BIRTH_CASES: EdgeCase[] = [
  {
    name: 'age: the birthday is today, not tomorrow',
    asOf: '2024-03-31T23:59:59Z',
    rule: age('gte', 18),
    players: EIGHTEEN,
    expected: ['a'],
  },
  {
    // 23:30Z on 31 March is 1 April 01:30 in Berlin: b's birthday has come.
    name: 'age: the birthday counts in the segment timezone (Berlin)',
    timezone: 'Europe/Berlin',
    asOf: '2024-03-31T23:30:00Z',
    rule: age('eq', 18),
    players: EIGHTEEN,
    expected: ['a', 'b'],
  },
  {
    // 03:30Z on 1 April is still 31 March in New York.
    name: 'age: the birthday counts in the segment timezone (New York)',
    timezone: 'America/New_York',
    asOf: '2024-04-01T03:30:00Z',
    rule: age('lt', 18),
    players: EIGHTEEN,
    expected: ['b'],
  },
  {
    name: 'age: a missing birth date matches neq and is_not_set, never lt or gte',
    asOf: '2024-03-31T12:00:00Z',
    rule: {
      all: [age('neq', 18), age('is_not_set'), { not: age('lt', 18) }, { not: age('gte', 0) }],
    },
    players: EIGHTEEN,
    expected: ['c'],
  },
  {
    name: 'age: born 29 February, a year older on 1 March in a common year',
    asOf: '2023-03-01T00:00:00Z',
    rule: age('eq', 23),
    players: [
      player('a', { birth_date: '2000-02-29' }),
      player('b', { birth_date: '2000-03-01' }),
      player('c', { birth_date: '2000-03-02' }),
    ],
    expected: ['a', 'b'],
  },
  {
    name: 'age: born 29 February, not yet a year older on 28 February',
    asOf: '2023-02-28T23:59:59Z',
    rule: age('between', [22, 22]),
    players: [
      player('a', { birth_date: '2000-02-29' }),
      player('b', { birth_date: '2000-02-28' }),
      player('c', { birth_date: '2001-03-01' }),
    ],
    expected: ['a'],
  },
  {
    name: 'age: born in the 1930s',
    asOf: '2024-03-31T12:00:00Z',
    rule: age('in', [88, 91]),
    players: [
      player('a', { birth_date: '1935-06-15' }),
      player('b', { birth_date: '1934-04-01' }),
      player('c', { birth_date: '1933-03-31' }),
    ],
    expected: ['a', 'c'],
  },
  {
    name: 'age: a birth date after the as-of date counts negative years',
    asOf: '2024-03-31T12:00:00Z',
    rule: age('lt', 0),
    players: [
      player('a', { birth_date: '2024-04-01' }),
      player('b', { birth_date: '2024-03-31' }),
      player('c', { birth_date: '2105-12-31' }),
    ],
    expected: ['a', 'c'],
  },
  {
    name: 'a birth_date before 1970 is before every time value',
    asOf: '2024-03-31T12:00:00Z',
    rule: { field: 'birth_date', op: 'before', value: '1970-01-01T00:00:00Z' },
    players: [
      player('a', { birth_date: '1935-06-15' }),
      player('b', { birth_date: '1970-01-01' }),
      player('c', { birth_date: '1969-12-31' }),
    ],
    expected: ['a', 'c'],
  },
  {
    // as-of minus 1066 months is 1935-05-31T12:00Z, minus 1065 months 1935-06-30T12:00Z.
    name: 'a birth_date within_last a window that starts before 1970',
    asOf: '2024-03-31T12:00:00Z',
    rule: {
      all: [
        { field: 'birth_date', op: 'within_last', value: { last: 1066, unit: 'month' } },
        { field: 'birth_date', op: 'not_within_last', value: { last: 1065, unit: 'month' } },
      ],
    },
    players: [
      player('a', { birth_date: '1935-06-15' }),
      player('b', { birth_date: '1935-05-31' }),
      player('c', { birth_date: '1935-07-01' }),
    ],
    expected: ['a'],
  },
];
