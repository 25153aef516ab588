// birth_date (a date, counted as midnight UTC of that date) and age (whole years at the as-of
// date), end to end on real ClickHouse: every operator, dates before 1970, birthdays on and
// around the as-of date, 29 February, and a missing date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { insertPlayers, type PlayerRow } from '../store/players.ts';
import { compileMembersQuery } from './query.ts';
import { DAY, allOf, contextFor, members, valid, type ContextOptions } from './test-support.ts';

// As of 2024-03-31T12:00:00Z (UTC) their ages are: old 88, e69 54, y70 54, leap 24, today 18
// (the birthday is today), tomorrow 17, future -1 (born after the as-of date); none has no date.
const BORN: Record<string, string | undefined> = {
  old: '1935-06-15',
  e69: '1969-12-31',
  y70: '1970-01-01',
  leap: '2000-02-29',
  today: '2006-03-31',
  tomorrow: '2006-04-01',
  future: '2024-04-01',
  none: undefined,
};
const PLAYERS: PlayerRow[] = Object.entries(BORN).map(([player_id, birth_date]) => ({
  player_id,
  version: 1,
  ...(birth_date ? { birth_date } : {}),
}));
const ALL = Object.keys(BORN).sort();
const PRESENT = ALL.filter((id) => id !== 'none');
const but = (...ids: string[]) => ALL.filter((id) => !ids.includes(id));

type Case = [string, Record<string, unknown>, string[], ContextOptions?];

const c = (field: string, op: string, value?: unknown) =>
  value === undefined ? { field, op } : { field, op, value };
const birth = (op: string, value?: unknown) => c('birth_date', op, value);
const age = (op: string, value?: unknown) => c('age', op, value);

// At midnight UTC, a whole number of days after 29 February 2000.
const MIDNIGHT = { asOf: Date.parse('2024-03-31T00:00:00Z') };
const DAYS_SINCE_LEAP = (MIDNIGHT.asOf - Date.parse('2000-02-29T00:00:00Z')) / DAY;
const NEW_YORK = { timezone: 'America/New_York' };

const BIRTH_DATE_CASES: Case[] = [
  ['before midnight of 1970: strictly', birth('before', '1970-01-01T00:00:00Z'), ['e69', 'old']],
  ['before a second after it', birth('before', '1970-01-01T00:00:01Z'), ['e69', 'old', 'y70']],
  [
    'after midnight: strictly',
    birth('after', '1970-01-01T00:00:00Z'),
    ['future', 'leap', 'today', 'tomorrow'],
  ],
  [
    'after a second before midnight',
    birth('after', '2006-03-31T23:59:59Z'),
    ['future', 'tomorrow'],
  ],
  ['before 29 February', birth('before', '2000-02-29T00:00:00Z'), ['e69', 'old', 'y70']],
  [
    'after the second before 29 February',
    birth('after', '2000-02-28T23:59:59Z'),
    ['future', 'leap', 'today', 'tomorrow'],
  ],
  [
    'after with an offset: 01:00+01:00 is midnight UTC',
    birth('after', '2006-04-01T01:00:00+01:00'),
    ['future'],
  ],
  [
    'before a date alone (UTC): its midnight is not before itself',
    birth('before', '2006-04-01'),
    ['e69', 'leap', 'old', 'today', 'y70'],
  ],
  [
    'before a date alone (New York): midnight UTC is 5 hours before New York midnight',
    birth('before', '2006-04-01'),
    ['e69', 'leap', 'old', 'today', 'tomorrow', 'y70'],
    NEW_YORK,
  ],
  [
    'between: from included, to excluded',
    birth('between', ['1970-01-01T00:00:00Z', '2000-02-29T00:00:00Z']),
    ['y70'],
  ],
  [
    'between a second later on both ends',
    birth('between', ['1970-01-01T00:00:01Z', '2000-02-29T00:00:01Z']),
    ['leap'],
  ],
  ['between, nothing in it', birth('between', ['2007-01-01', '2024-01-01']), []],
  [
    'within_last reaching back before 1970',
    birth('within_last', { last: 1066, unit: 'month' }),
    but('future', 'none'),
  ],
  [
    'within_last starting after the date (1935-06-30 12:00)',
    birth('within_last', { last: 1065, unit: 'month' }),
    but('future', 'none', 'old'),
  ],
  [
    'within_last starting exactly at a midnight excludes it',
    birth('within_last', { last: DAYS_SINCE_LEAP, unit: 'day' }),
    ['today', 'tomorrow'],
    MIDNIGHT,
  ],
  [
    'within_last starting an hour earlier includes it',
    birth('within_last', { last: DAYS_SINCE_LEAP + 1, unit: 'day' }),
    ['leap', 'today', 'tomorrow'],
    MIDNIGHT,
  ],
  [
    'within_last starting before year 1',
    birth('within_last', { last: 100_000, unit: 'month' }),
    but('future', 'none'),
  ],
  [
    'within_last starting in year 107',
    birth('within_last', { last: 100_000, unit: 'week' }),
    but('future', 'none'),
  ],
  ['within_last ends at the as-of time', birth('within_last', { last: 1, unit: 'day' }), []],
  [
    'not_within_last matches later and missing dates',
    birth('not_within_last', { last: 1065, unit: 'month' }),
    ['future', 'none', 'old'],
  ],
  ['is_set', birth('is_set'), PRESENT],
  ['is_not_set', birth('is_not_set'), ['none']],
];

const AGE_CASES: Case[] = [
  ['eq: 18 on the birthday', age('eq', 18), ['today']],
  ['eq: 17 the day before the birthday', age('eq', 17), ['tomorrow']],
  ['eq: the same age either side of 1970', age('eq', 54), ['e69', 'y70']],
  ['eq: born after the as-of date', age('eq', -1), ['future']],
  ['eq: a fraction matches no whole age', age('eq', 17.5), []],
  ['neq matches missing', age('neq', 18), but('today')],
  ['gte', age('gte', 18), ['e69', 'leap', 'old', 'today', 'y70']],
  ['gt a fraction', age('gt', 17.5), ['e69', 'leap', 'old', 'today', 'y70']],
  ['gt', age('gt', 54), ['old']],
  ['lt', age('lt', 18), ['future', 'tomorrow']],
  ['lte', age('lte', 17), ['future', 'tomorrow']],
  ['lt 0', age('lt', 0), ['future']],
  ['lt a huge number', age('lt', 1e20), PRESENT],
  ['gt a huge negative number', age('gt', -1e20), PRESENT],
  ['between includes both ends', age('between', [18, 54]), ['e69', 'leap', 'today', 'y70']],
  ['not_between matches missing', age('not_between', [18, 54]), but('e69', 'leap', 'today', 'y70')],
  ['in', age('in', [24, 88]), ['leap', 'old']],
  ['not_in matches missing', age('not_in', [24, 88]), but('leap', 'old')],
  ['is_set', age('is_set'), PRESENT],
  ['is_not_set', age('is_not_set'), ['none']],
  // 23:30Z on 31 March is 1 April in Berlin (tomorrow's birthday) but not yet in New York.
  [
    'the birthday counts in the segment timezone (Berlin)',
    age('eq', 18),
    ['today', 'tomorrow'],
    { timezone: 'Europe/Berlin', asOf: Date.parse('2024-03-31T23:30:00Z') },
  ],
  [
    'the birthday counts in the segment timezone (New York)',
    age('eq', 18),
    ['today'],
    { timezone: 'America/New_York', asOf: Date.parse('2024-04-01T03:30:00Z') },
  ],
  [
    'born 29 February: not yet a year older on 28 February',
    age('eq', 22),
    ['leap'],
    { asOf: Date.parse('2023-02-28T23:59:59Z') },
  ],
  [
    'born 29 February: a year older on 1 March',
    age('eq', 23),
    ['leap'],
    { asOf: Date.parse('2023-03-01T00:00:00Z') },
  ],
  [
    'born 29 February: a year older on 29 February',
    age('eq', 24),
    ['leap'],
    { asOf: Date.parse('2024-02-29T00:00:00Z') },
  ],
];

describe('birth_date and age (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('compiler_birth');
    await insertPlayers(db.store, PLAYERS);
  });
  afterAll(() => db.drop());

  describe.each([
    ['birth_date', BIRTH_DATE_CASES],
    ['age', AGE_CASES],
  ])('%s', (_field, cases) => {
    it.each(cases)('%s', async (_name, condition, expected, opts) => {
      expect(await members(db.store, allOf(condition), opts)).toEqual(expected);
    });
  });

  it('compares whole dates as integers: no date function, which breaks before 1970', () => {
    const rule = valid(
      allOf(
        birth('after', '1970-01-01T00:00:00Z'),
        birth('before', '2000-02-29T00:00:01Z'),
        age('gte', 18),
      ),
    );
    expect(compileMembersQuery(rule, contextFor())).toBe(
      [
        'SELECT player_id',
        'FROM players FINAL',
        'WHERE',
        '    ifNull(birth_date > 19700101, 0)',
        '    AND ifNull(birth_date < 20000301, 0)',
        '    AND ifNull(',
        '        (intDiv(20240331 + 100000000 - birth_date, 10000) - 10000) >= 18,',
        '        0',
        '    )',
      ].join('\n'),
    );
  });
});
