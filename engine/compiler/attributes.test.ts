// Attribute conditions on the Players list, end to end on real ClickHouse: every operator of
// every field type, on columns and on key-based fields, with the missing-value rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { insertPlayers, type PlayerRow } from '../store/players.ts';
import { allOf, at, members } from './test-support.ts';

// a..e cover present, empty and missing values; c has nothing at all.
const PLAYERS: PlayerRow[] = [
  {
    player_id: 'a',
    version: 1,
    country: 'DE',
    language: 'de',
    vip_level: 3,
    registered_at: at('2024-03-01T10:00:00Z'),
    birth_date: '1990-05-17',
    self_excluded: false,
    tags: ['vip', 'sports'],
    kyc_status: 'O\'Brien, "Jr"\n',
    attributes: {
      nickname: 'a,b',
      score: '7.5',
      ltv: '100.00',
      last_seen: '2024-03-30T12:00:00Z',
      newsletter: 'true',
      interest: 'poker',
    },
  },
  {
    player_id: 'b',
    version: 1,
    country: 'AT',
    language: '',
    vip_level: 0,
    registered_at: at('2024-03-30T12:00:00Z'),
    birth_date: '1935-06-15',
    self_excluded: true,
    tags: ['casino'],
    kyc_status: 'line1\nline2\ttab',
    attributes: {
      nickname: '',
      score: '-1',
      ltv: '99.9999',
      last_seen: 'garbage',
      newsletter: '0',
    },
  },
  { player_id: 'c', version: 1 },
  {
    player_id: 'd',
    version: 1,
    country: 'de',
    language: 'en',
    vip_level: -2,
    registered_at: at('2023-01-01T00:00:00Z'),
    birth_date: '2000-02-29',
    self_excluded: false,
    tags: ['vip'],
    kyc_status: 'Zürich 🎰 مرحبا',
    attributes: { score: 'abc', ltv: '100.0001', newsletter: 'yes', interest: 'Poker' },
  },
  {
    player_id: 'e',
    version: 1,
    country: 'DEU',
    language: 'de-AT',
    vip_level: 10,
    registered_at: at('2024-03-31T11:59:59Z'),
    birth_date: '1969-12-31',
    self_excluded: false,
    tags: ['sports', 'casino', 'vip'],
    kyc_status: 'back\\slash',
    attributes: { score: '10', ltv: '100', last_seen: '2024-01-01', newsletter: 'false' },
  },
];

type Case = [string, Record<string, unknown>, string[]];

const c = (field: string, op: string, value?: unknown) =>
  value === undefined ? { field, op } : { field, op, value };

const STRING_CASES: Case[] = [
  ['eq is exact', c('country', 'eq', 'DE'), ['a']],
  ['eq is case-sensitive', c('country', 'eq', 'de'), ['d']],
  ['neq matches missing', c('country', 'neq', 'DE'), ['b', 'c', 'd', 'e']],
  ['in', c('country', 'in', ['DE', 'AT']), ['a', 'b']],
  ['not_in matches missing', c('country', 'not_in', ['DE', 'AT']), ['c', 'd', 'e']],
  ['contains', c('country', 'contains', 'DE'), ['a', 'e']],
  ['not_contains matches missing', c('country', 'not_contains', 'DE'), ['b', 'c', 'd']],
  ['starts_with', c('country', 'starts_with', 'D'), ['a', 'e']],
  ['ends_with', c('country', 'ends_with', 'E'), ['a']],
  ['matches anywhere', c('country', 'matches', 'E'), ['a', 'e']],
  ['matches anchored', c('country', 'matches', '^DE$'), ['a']],
  ['matches a regex class', c('kyc_status', 'matches', '\\d'), ['b']],
  ['is_set', c('country', 'is_set'), ['a', 'b', 'd', 'e']],
  ['is_not_set', c('country', 'is_not_set'), ['c']],
  ['is_empty: missing or empty', c('language', 'is_empty'), ['b', 'c']],
  ['is_not_empty', c('language', 'is_not_empty'), ['a', 'd', 'e']],
  ['empty string is set', c('language', 'is_set'), ['a', 'b', 'd', 'e']],
  ['quotes, comma and newline', c('kyc_status', 'eq', 'O\'Brien, "Jr"\n'), ['a']],
  ['newline and tab', c('kyc_status', 'eq', 'line1\nline2\ttab'), ['b']],
  ['unicode', c('kyc_status', 'eq', 'Zürich 🎰 مرحبا'), ['d']],
  ['backslash', c('kyc_status', 'eq', 'back\\slash'), ['e']],
  [
    'in with hostile values',
    c('kyc_status', 'in', ['back\\slash', 'O\'Brien, "Jr"\n']),
    ['a', 'e'],
  ],
  ['contains a backslash', c('kyc_status', 'contains', '\\'), ['e']],
  ['contains a quote', c('kyc_status', 'contains', "'"), ['a']],
  ['starts_with unicode', c('kyc_status', 'starts_with', 'Zür'), ['d']],
  ['injection attempt is a value', c('country', 'eq', "DE' OR 1=1 --"), []],
  ['player_id', c('player_id', 'in', ['a', 'c', 'zz']), ['a', 'c']],
  ['key: eq', c('nickname', 'eq', 'a,b'), ['a']],
  ['key: neq matches missing', c('nickname', 'neq', 'a,b'), ['b', 'c', 'd', 'e']],
  ['key: empty value is set', c('nickname', 'is_set'), ['a', 'b']],
  ['key: is_empty', c('nickname', 'is_empty'), ['b', 'c', 'd', 'e']],
  ['key: is_not_empty', c('nickname', 'is_not_empty'), ['a']],
];

const NUMBER_CASES: Case[] = [
  ['eq', c('vip_level', 'eq', 3), ['a']],
  ['eq 0 does not match missing', c('vip_level', 'eq', 0), ['b']],
  ['neq matches missing', c('vip_level', 'neq', 3), ['b', 'c', 'd', 'e']],
  ['gt', c('vip_level', 'gt', 0), ['a', 'e']],
  ['gte', c('vip_level', 'gte', 0), ['a', 'b', 'e']],
  ['lt', c('vip_level', 'lt', 0), ['d']],
  ['lte', c('vip_level', 'lte', 0), ['b', 'd']],
  ['gt a fraction', c('vip_level', 'gt', -2.5), ['a', 'b', 'd', 'e']],
  ['between includes both ends', c('vip_level', 'between', [0, 3]), ['a', 'b']],
  ['not_between matches missing', c('vip_level', 'not_between', [0, 3]), ['c', 'd', 'e']],
  ['in', c('vip_level', 'in', [0, 10]), ['b', 'e']],
  ['not_in matches missing', c('vip_level', 'not_in', [0, 10]), ['a', 'c', 'd']],
  ['is_set', c('vip_level', 'is_set'), ['a', 'b', 'd', 'e']],
  ['is_not_set', c('vip_level', 'is_not_set'), ['c']],
  // Ages on 2024-03-31: a 33, b 88, d 24, e 54 (birth-date.test.ts has the edge cases).
  ['age: gte', c('age', 'gte', 34), ['b', 'e']],
  ['age: lt', c('age', 'lt', 34), ['a', 'd']],
  ['age: is_not_set without a birth date', c('age', 'is_not_set'), ['c']],
  ['key: gt (unparsable text is missing)', c('score', 'gt', 0), ['a', 'e']],
  ['key: eq a fraction', c('score', 'eq', 7.5), ['a']],
  ['key: neq', c('score', 'neq', 7.5), ['b', 'c', 'd', 'e']],
  ['key: is_not_set', c('score', 'is_not_set'), ['c', 'd']],
];

// ltv: a 100.00, b 99.9999, c missing, d 100.0001, e 100
const MONEY_CASES: Case[] = [
  ['gte 100 includes exactly 100.00', c('ltv', 'gte', 100), ['a', 'd', 'e']],
  ['gt 100 excludes exactly 100.00', c('ltv', 'gt', 100), ['d']],
  ['eq as decimal text', c('ltv', 'eq', '100'), ['a', 'e']],
  ['neq matches missing', c('ltv', 'neq', 100), ['b', 'c', 'd']],
  ['lt', c('ltv', 'lt', 100), ['b']],
  ['lte at 4 places', c('ltv', 'lte', '99.9999'), ['b']],
  ['gte at 4 places', c('ltv', 'gte', '100.0001'), ['d']],
  ['between', c('ltv', 'between', ['99.9999', 100]), ['a', 'b', 'e']],
  ['not_between', c('ltv', 'not_between', ['99.9999', 100]), ['c', 'd']],
  ['in', c('ltv', 'in', ['100.0001', 99.9999]), ['b', 'd']],
  ['not_in', c('ltv', 'not_in', ['100.0001', 99.9999]), ['a', 'c', 'e']],
  ['is_set', c('ltv', 'is_set'), ['a', 'b', 'd', 'e']],
  ['is_not_set', c('ltv', 'is_not_set'), ['c']],
];

// registered_at: a 03-01T10:00, b 03-30T12:00, c missing, d 2023-01-01, e 03-31T11:59:59 (as-of
// is 2024-03-31T12:00:00Z)
const DATETIME_CASES: Case[] = [
  ['before is strict', c('registered_at', 'before', '2024-03-01T10:00:00Z'), ['d']],
  ['after is strict', c('registered_at', 'after', '2024-03-01T10:00:00Z'), ['b', 'e']],
  [
    'after with an offset',
    c('registered_at', 'after', '2024-03-01T10:59:59+01:00'),
    ['a', 'b', 'e'],
  ],
  [
    'between: from included, to excluded',
    c('registered_at', 'between', ['2024-03-01T10:00:00Z', '2024-03-31T11:59:59Z']),
    ['a', 'b'],
  ],
  [
    'within_last excludes its start',
    c('registered_at', 'within_last', { last: 1, unit: 'day' }),
    ['e'],
  ],
  ['within_last 2 days', c('registered_at', 'within_last', { last: 2, unit: 'day' }), ['b', 'e']],
  [
    'within_last 1 month',
    c('registered_at', 'within_last', { last: 1, unit: 'month' }),
    ['a', 'b', 'e'],
  ],
  [
    'not_within_last matches missing',
    c('registered_at', 'not_within_last', { last: 1, unit: 'day' }),
    ['a', 'b', 'c', 'd'],
  ],
  // Cut to 11:59:59, so e (11:59:59) is not before it.
  [
    'fractions of a second are cut',
    c('registered_at', 'before', '2024-03-31T11:59:59.500Z'),
    ['a', 'b', 'd'],
  ],
  ['is_set', c('registered_at', 'is_set'), ['a', 'b', 'd', 'e']],
  ['is_not_set', c('registered_at', 'is_not_set'), ['c']],
  // birth_date: a 1990-05-17, b 1935-06-15, c missing, d 2000-02-29, e 1969-12-31
  ['date column: midnight UTC', c('birth_date', 'before', '2000-02-29T00:00:00Z'), ['a', 'b', 'e']],
  ['date column: after', c('birth_date', 'after', '2000-02-28T23:59:59Z'), ['d']],
  ['date column: before 1970', c('birth_date', 'before', '1970-01-01T00:00:00Z'), ['b', 'e']],
  ['key: after', c('last_seen', 'after', '2024-01-01T00:00:00Z'), ['a']],
  ['key: date-only text is midnight UTC', c('last_seen', 'before', '2024-01-01T00:00:01Z'), ['e']],
  ['key: unparsable text is missing', c('last_seen', 'is_not_set'), ['b', 'c', 'd']],
];

const BOOLEAN_CASES: Case[] = [
  ['is_true', c('self_excluded', 'is_true'), ['b']],
  ['is_false does not match missing', c('self_excluded', 'is_false'), ['a', 'd', 'e']],
  ['is_set', c('self_excluded', 'is_set'), ['a', 'b', 'd', 'e']],
  ['is_not_set', c('self_excluded', 'is_not_set'), ['c']],
  ['key: is_true', c('newsletter', 'is_true'), ['a']],
  ['key: is_false', c('newsletter', 'is_false'), ['b', 'e']],
  ['key: other text is missing', c('newsletter', 'is_not_set'), ['c', 'd']],
];

const STRING_LIST_CASES: Case[] = [
  ['has_any', c('tags', 'has_any', ['vip']), ['a', 'd', 'e']],
  ['has_any of several', c('tags', 'has_any', ['casino', 'poker']), ['b', 'e']],
  ['has_all', c('tags', 'has_all', ['vip', 'sports']), ['a', 'e']],
  ['has_none includes empty lists', c('tags', 'has_none', ['vip']), ['b', 'c']],
  ['is_empty', c('tags', 'is_empty'), ['c']],
  ['is_not_empty', c('tags', 'is_not_empty'), ['a', 'b', 'd', 'e']],
  ['key: has_any is case-sensitive', c('interest', 'has_any', ['poker']), ['a']],
  ['key: has_none', c('interest', 'has_none', ['poker']), ['b', 'c', 'd', 'e']],
  ['key: missing is empty', c('interest', 'is_empty'), ['b', 'c', 'e']],
  ['key: is_not_empty', c('interest', 'is_not_empty'), ['a', 'd']],
];

describe('attribute conditions (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('compiler_attr');
    await insertPlayers(db.store, PLAYERS);
  });
  afterAll(() => db.drop());

  describe.each([
    ['string', STRING_CASES],
    ['number', NUMBER_CASES],
    ['money', MONEY_CASES],
    ['datetime', DATETIME_CASES],
    ['boolean', BOOLEAN_CASES],
    ['string_list', STRING_LIST_CASES],
  ])('%s fields', (_type, cases) => {
    it.each(cases)('%s', async (_name, condition, expected) => {
      expect(await members(db.store, allOf(condition))).toEqual(expected);
    });
  });

  it('runs a rule whose SQL is longer than the default max_query_size', async () => {
    const ids = Array.from({ length: 9_999 }, (_, i) => `player-${String(i).padStart(30, '0')}`);
    const rule = allOf(c('player_id', 'in', [...ids, 'b']));
    expect(await members(db.store, rule)).toEqual(['b']);
  });

  it.each([
    // Midnight of 2024-03-31 in Kiritimati (+14) is 2024-03-30T10:00Z, before b registered.
    ['Pacific/Kiritimati', ['b', 'e']],
    ['UTC', ['e']],
  ])('a date alone is midnight in the segment timezone (%s)', async (timezone, expected) => {
    const rule = allOf(c('registered_at', 'after', '2024-03-31'));
    expect(await members(db.store, rule, { timezone })).toEqual(expected);
  });
});

describe('the latest profile counts (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('compiler_profile');
    await insertPlayers(db.store, [
      { player_id: 'moved', version: 1, country: 'DE', vip_level: 5 },
      { player_id: 'stayed', version: 1, country: 'DE' },
    ]);
    await insertPlayers(db.store, [{ player_id: 'moved', version: 2, country: 'AT' }]);
  });
  afterAll(() => db.drop());

  it.each([
    ['old value no longer matches', c('country', 'eq', 'DE'), ['stayed']],
    ['new value matches', c('country', 'eq', 'AT'), ['moved']],
    ['a field the new profile lacks is missing', c('vip_level', 'is_not_set'), ['moved', 'stayed']],
    ['every profile is one member', c('country', 'is_set'), ['moved', 'stayed']],
  ])('%s', async (_name, condition, expected) => {
    expect(await members(db.store, allOf(condition))).toEqual(expected);
  });
});
