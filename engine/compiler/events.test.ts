// Event conditions end to end on real ClickHouse: every measure with every operator it takes,
// `where` conditions on columns and keys, event lists, and evaluation at other as-of times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { insertEvents } from '../store/events.ts';
import { insertPlayers } from '../store/players.ts';
import { BONUS_CODE, EVENT_PLAYERS, EVENTS, isoAgo } from './fixtures.ts';
import { allOf, AS_OF, DAY, HOUR, members, SECOND } from './test-support.ts';

const WEEK = { last: 7, unit: 'day' };
const ALL = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];

type Case = [string, Record<string, unknown>, string[]];

/** A deposits condition over the last 7 days unless `window` says otherwise (null: all time). */
function deposits(measure: unknown, op: string, value?: unknown, extra: object = {}) {
  const condition: Record<string, unknown> = { list: 'deposits', window: WEEK, measure, op };
  if (value !== undefined) condition.value = value;
  Object.assign(condition, extra);
  if (condition.window === null) delete condition.window;
  return condition;
}

const allTime = { window: null };

const COUNT_CASES: Case[] = [
  ['gte', deposits('count', 'gte', 3), ['p1']],
  ['eq 0 includes players without events', deposits('count', 'eq', 0), ['p4', 'p5']],
  ['neq 0', deposits('count', 'neq', 0), ['p1', 'p2', 'p3', 'p6']],
  ['gt', deposits('count', 'gt', 1), ['p1', 'p3']],
  ['lt', deposits('count', 'lt', 2), ['p2', 'p4', 'p5', 'p6']],
  ['lte', deposits('count', 'lte', 1), ['p2', 'p4', 'p5', 'p6']],
  ['between', deposits('count', 'between', [1, 2]), ['p2', 'p3', 'p6']],
  ['not_between', deposits('count', 'not_between', [1, 2]), ['p1', 'p4', 'p5']],
  ['in', deposits('count', 'in', [2, 3]), ['p1', 'p3']],
  ['not_in', deposits('count', 'not_in', [2, 3]), ['p2', 'p4', 'p5', 'p6']],
  ['is_set: a count always has a value', deposits('count', 'is_set'), ALL],
  ['is_not_set', deposits('count', 'is_not_set'), []],
  ['all time, future events ignored', deposits('count', 'eq', 2, allTime), ['p3', 'p6']],
  ['count_days gte', deposits('count_days', 'gte', 2), ['p1', 'p3']],
  ['count_days eq 0', deposits('count_days', 'eq', 0), ['p4', 'p5']],
  ['count_days eq 1', deposits('count_days', 'eq', 1), ['p2', 'p6']],
];

const AMOUNT = { sum: 'amount' };
const AVG = { avg: 'amount' };
const SUM_AVG_CASES: Case[] = [
  ['sum gte includes exactly 100.00', deposits(AMOUNT, 'gte', 100), ['p1', 'p2']],
  ['sum gt excludes exactly 100.00', deposits(AMOUNT, 'gt', 100), ['p1']],
  ['sum eq decimal text', deposits(AMOUNT, 'eq', '200'), ['p1']],
  ['sum eq 0 when none', deposits(AMOUNT, 'eq', 0), ['p4', 'p5']],
  ['sum eq at the 4-place limit', deposits(AMOUNT, 'eq', '0.0001'), ['p3']],
  ['sum neq', deposits(AMOUNT, 'neq', 0), ['p1', 'p2', 'p3', 'p6']],
  ['sum lt', deposits(AMOUNT, 'lt', 100), ['p3', 'p4', 'p5', 'p6']],
  ['sum lte', deposits(AMOUNT, 'lte', 10), ['p3', 'p4', 'p5', 'p6']],
  ['sum between', deposits(AMOUNT, 'between', [10, 100]), ['p2', 'p6']],
  ['sum not_between', deposits(AMOUNT, 'not_between', [10, 100]), ['p1', 'p3', 'p4', 'p5']],
  ['sum in', deposits(AMOUNT, 'in', ['200.0000', 10]), ['p1', 'p6']],
  ['sum not_in', deposits(AMOUNT, 'not_in', ['200.0000', 10]), ['p2', 'p3', 'p4', 'p5']],
  ['sum is_set: 0 when none', deposits(AMOUNT, 'is_set'), ALL],
  ['sum is_not_set', deposits(AMOUNT, 'is_not_set'), []],
  ['sum of a key money field', deposits({ sum: 'fee' }, 'eq', '0.5'), ['p1']],
  ['avg gte', deposits(AVG, 'gte', 50), ['p1', 'p2']],
  ['avg eq', deposits(AVG, 'eq', 100), ['p2']],
  ['avg neq matches missing', deposits(AVG, 'neq', 100), ['p1', 'p3', 'p4', 'p5', 'p6']],
  ['avg gt just below 200/3', deposits(AVG, 'gt', '66.6666'), ['p1', 'p2']],
  ['avg gte just above 200/3', deposits(AVG, 'gte', '66.6667'), ['p2']],
  ['avg lt (missing amounts ignored)', deposits(AVG, 'lt', 10), ['p3']],
  ['avg lte', deposits(AVG, 'lte', 10), ['p3', 'p6']],
  ['avg between', deposits(AVG, 'between', [10, '66.6667']), ['p1', 'p6']],
  ['avg not_between', deposits(AVG, 'not_between', [10, '66.6667']), ['p2', 'p3', 'p4', 'p5']],
  ['avg in', deposits(AVG, 'in', [100, 10]), ['p2', 'p6']],
  ['avg not_in', deposits(AVG, 'not_in', [100, 10]), ['p1', 'p3', 'p4', 'p5']],
  ['avg is_set', deposits(AVG, 'is_set'), ['p1', 'p2', 'p3', 'p6']],
  ['avg is_not_set', deposits(AVG, 'is_not_set'), ['p4', 'p5']],
];

const MIN = { min: 'amount' };
const MAX = { max: 'amount' };
const DISTINCT = { distinct: 'payment_method' };
const MIN_MAX_DISTINCT_CASES: Case[] = [
  ['min lt', deposits(MIN, 'lt', 50), ['p1', 'p3', 'p6']],
  ['min gte', deposits(MIN, 'gte', 100), ['p2']],
  ['min eq', deposits(MIN, 'eq', '0.0001'), ['p3']],
  ['min neq matches missing', deposits(MIN, 'neq', 10), ['p1', 'p2', 'p3', 'p4', 'p5']],
  ['min between', deposits(MIN, 'between', ['0.0001', 10]), ['p3', 'p6']],
  ['min not_between', deposits(MIN, 'not_between', ['0.0001', 10]), ['p1', 'p2', 'p4', 'p5']],
  ['min in', deposits(MIN, 'in', [10, 100]), ['p2', 'p6']],
  ['min not_in', deposits(MIN, 'not_in', [10, 100]), ['p1', 'p3', 'p4', 'p5']],
  ['min is_set', deposits(MIN, 'is_set'), ['p1', 'p2', 'p3', 'p6']],
  ['min is_not_set', deposits(MIN, 'is_not_set'), ['p4', 'p5']],
  ['max eq', deposits(MAX, 'eq', 100), ['p1', 'p2']],
  ['max gt', deposits(MAX, 'gt', 100), []],
  ['max gt, all time', deposits(MAX, 'gt', 100, allTime), ['p1']],
  ['max lte', deposits(MAX, 'lte', 10), ['p3', 'p6']],
  ['max lt (missing is not 0)', deposits(MAX, 'lt', 1), ['p3']],
  ['distinct gte', deposits(DISTINCT, 'gte', 2), ['p1']],
  ['distinct eq 0 (missing values not counted)', deposits(DISTINCT, 'eq', 0), ['p3', 'p4', 'p5']],
  ['distinct eq 1', deposits(DISTINCT, 'eq', 1), ['p2', 'p6']],
  ['distinct of amounts', deposits({ distinct: 'amount' }, 'eq', 3), ['p1']],
];

const TIME_CASES: Case[] = [
  ['first_time before', deposits('first_time', 'before', isoAgo(30 * DAY), allTime), ['p1']],
  [
    'first_time after',
    deposits('first_time', 'after', isoAgo(2 * DAY + SECOND), allTime),
    ['p2', 'p3'],
  ],
  [
    'first_time between: to excluded',
    deposits('first_time', 'between', [isoAgo(7 * DAY), isoAgo(2 * DAY)], allTime),
    ['p6'],
  ],
  [
    'first_time within_last',
    deposits('first_time', 'within_last', { last: 1, unit: 'day' }, allTime),
    ['p2'],
  ],
  [
    'first_time not_within_last matches missing',
    deposits('first_time', 'not_within_last', { last: 1, unit: 'day' }, allTime),
    ['p1', 'p3', 'p4', 'p5', 'p6'],
  ],
  ['first_time is_not_set', deposits('first_time', 'is_not_set', undefined, allTime), ['p4', 'p5']],
  [
    'last_time within_last excludes its start',
    deposits('last_time', 'within_last', { last: 1, unit: 'hour' }),
    ['p6'],
  ],
  ['last_time after', deposits('last_time', 'after', isoAgo(2 * HOUR)), ['p2', 'p6']],
  ['last_time before is strict', deposits('last_time', 'before', isoAgo(0)), ['p1', 'p2', 'p3']],
  [
    'last_time not_within_last',
    deposits('last_time', 'not_within_last', { last: 1, unit: 'day' }),
    ['p1', 'p3', 'p4', 'p5'],
  ],
  ['last_time is_set', deposits('last_time', 'is_set'), ['p1', 'p2', 'p3', 'p6']],
];

const where = (...conditions: unknown[]) => ({ where: conditions });
const WHERE_CASES: Case[] = [
  [
    'string column eq',
    deposits('count', 'gte', 2, where({ field: 'payment_method', op: 'eq', value: 'card' })),
    ['p1'],
  ],
  [
    'neq matches events without the field',
    deposits('count', 'gte', 1, where({ field: 'payment_method', op: 'neq', value: 'card' })),
    ['p1', 'p3'],
  ],
  [
    'several where conditions all hold',
    deposits(
      'count',
      'gte',
      1,
      where(
        { field: 'payment_method', op: 'in', value: ['card', 'paypal'] },
        { field: 'amount', op: 'lt', value: 50 },
      ),
    ),
    ['p1', 'p6'],
  ],
  [
    'money gte is exact',
    deposits('count', 'gte', 1, where({ field: 'amount', op: 'gte', value: 100 })),
    ['p1', 'p2'],
  ],
  [
    'money gt, all time',
    deposits('count', 'gte', 1, {
      ...where({ field: 'amount', op: 'gt', value: 100 }),
      ...allTime,
    }),
    ['p1'],
  ],
  [
    'missing amount',
    deposits('count', 'gte', 1, where({ field: 'amount', op: 'is_not_set' })),
    ['p3'],
  ],
  [
    'hostile key value',
    deposits('count', 'gte', 1, where({ field: 'bonus_code', op: 'eq', value: BONUS_CODE })),
    ['p1'],
  ],
  [
    'key neq matches events without the key',
    deposits('count', 'gte', 1, where({ field: 'bonus_code', op: 'neq', value: BONUS_CODE })),
    ['p1', 'p2', 'p3', 'p6'],
  ],
  [
    'event_time field',
    deposits('count', 'gte', 1, where({ field: 'event_time', op: 'after', value: isoAgo(HOUR) })),
    ['p6'],
  ],
  [
    'where with sum',
    deposits(AMOUNT, 'eq', '150.5', where({ field: 'payment_method', op: 'eq', value: 'card' })),
    ['p1'],
  ],
];

const LIST_CASES: Case[] = [
  ['bets', { list: 'bets', measure: 'count', op: 'gte', value: 1 }, ['p1', 'p5']],
  ['logins', { list: 'logins', measure: 'count', op: 'gte', value: 1 }, ['p5']],
  [
    'bets with where',
    {
      list: 'bets',
      where: [{ field: 'game_category', op: 'eq', value: 'slots' }],
      measure: { sum: 'amount' },
      op: 'eq',
      value: 5,
    },
    ['p1'],
  ],
  ['a list nobody has', { list: 'withdrawals', measure: 'count', op: 'eq', value: 0 }, ALL],
];

const bets = (measure: unknown, op: string, value?: unknown) =>
  value === undefined ? { list: 'bets', measure, op } : { list: 'bets', measure, op, value };
const NUMBER_AND_KEY_FIELD_CASES: Case[] = [
  ['sum of a number field', bets({ sum: 'quantity' }, 'eq', 3), ['p1']],
  ['avg of a number field skips missing values', bets({ avg: 'quantity' }, 'eq', 2), ['p5']],
  ['avg of a number field, fraction', bets({ avg: 'quantity' }, 'gt', 2.5), ['p1']],
  ['max of a number field', bets({ max: 'quantity' }, 'gte', 2), ['p1', 'p5']],
  ['min of a number field', bets({ min: 'quantity' }, 'lt', 3), ['p5']],
  ['distinct of a number field', bets({ distinct: 'quantity' }, 'eq', 1), ['p1', 'p5']],
  ['distinct of a key field', deposits({ distinct: 'bonus_code' }, 'eq', 1), ['p1']],
  ['min of a key money field', deposits({ min: 'fee' }, 'eq', '0.5'), ['p1']],
  ['avg of a key money field', deposits({ avg: 'fee' }, 'eq', '0.5'), ['p1']],
  [
    'max of a key money field is missing',
    deposits({ max: 'fee' }, 'is_not_set'),
    ['p2', 'p3', 'p4', 'p5', 'p6'],
  ],
];

describe('event conditions (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('compiler_events');
    await insertPlayers(db.store, EVENT_PLAYERS);
    await insertEvents(db.store, EVENTS);
  });
  afterAll(() => db.drop());

  describe.each([
    ['count and count_days', COUNT_CASES],
    ['sum and avg', SUM_AVG_CASES],
    ['min, max and distinct', MIN_MAX_DISTINCT_CASES],
    ['first_time and last_time', TIME_CASES],
    ['where', WHERE_CASES],
    ['lists', LIST_CASES],
    ['number and key fields', NUMBER_AND_KEY_FIELD_CASES],
  ])('%s', (_group, cases) => {
    it.each(cases)('%s', async (_name, condition, expected) => {
      expect(await members(db.store, allOf(condition))).toEqual(expected);
    });
  });

  it('combines conditions on several lists in one scan', async () => {
    const rule = allOf(deposits('count', 'gte', 1), {
      list: 'bets',
      measure: 'count',
      op: 'gte',
      value: 1,
    });
    expect(await members(db.store, rule)).toEqual(['p1']);
  });

  it.each([
    [
      'future events count once their time comes',
      deposits(AMOUNT, 'eq', 30, allTime),
      AS_OF,
      ['p6'],
    ],
    ['…and after it', deposits(AMOUNT, 'eq', 530, allTime), AS_OF + 2 * HOUR, ['p6']],
    [
      'an event in the window',
      deposits('count', 'gte', 1),
      AS_OF + 7 * DAY - HOUR - SECOND,
      ['p2', 'p6'],
    ],
    ['ages out with no new event', deposits('count', 'gte', 1), AS_OF + 7 * DAY - HOUR, ['p6']],
    ['all aged out', deposits('count', 'eq', 0), AS_OF + 8 * DAY, ALL],
  ])('as-of: %s', async (_name, condition, asOf, expected) => {
    expect(await members(db.store, allOf(condition), { asOf })).toEqual(expected);
  });

  it.each([
    ['7 days', { last: 7, unit: 'day' }],
    ['168 hours', { last: 168, unit: 'hour' }],
    ['10080 minutes', { last: 10080, unit: 'minute' }],
    ['1 week', { last: 1, unit: 'week' }],
  ])('last %s is the same window', async (_name, window) => {
    // p6's deposit exactly 7 days before the as-of time is outside every one of them.
    const rule = allOf(deposits(AMOUNT, 'eq', 10, { window }));
    expect(await members(db.store, rule)).toEqual(['p6']);
  });
});
