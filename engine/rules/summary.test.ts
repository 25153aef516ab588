import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE as C } from '../catalogue/default.ts';
import type { Rule } from './schema.ts';
import { summarizeRule } from './summary.ts';

const rule = (...items: unknown[]) => ({ include: { all: items } }) as Rule;
const attr = (field: string, op: string, value?: unknown) => ({ field, op, value });
const deposits = (extra: object = {}) => ({
  list: 'deposits',
  measure: 'count',
  op: 'gte',
  value: 3,
  ...extra,
});

describe('summarizeRule', () => {
  it('reads the documented example', () => {
    const input = {
      include: {
        all: [
          deposits({ window: { last: 7, unit: 'day' } }),
          attr('country', 'in', ['DE', 'AT']),
          { not: attr('self_excluded', 'is_true') },
        ],
      },
      exclude: { any: [{ segment: 'vip-managed', op: 'in' }] },
    } as Rule;
    expect(summarizeRule(input, C)).toBe(
      'Deposits in the last 7 days: count >= 3 AND Country is one of DE, AT AND ' +
        'NOT (Self-excluded is true) EXCLUDE in segment vip-managed',
    );
  });

  it.each([
    ['string eq', attr('country', 'eq', 'DE'), 'Country is DE'],
    ['string neq', attr('country', 'neq', 'DE'), 'Country is not DE'],
    ['not_in', attr('country', 'not_in', ['DE', 'AT']), 'Country is not one of DE, AT'],
    ['contains', attr('email', 'contains', '@example.com'), 'Email contains @example.com'],
    ['not_contains', attr('email', 'not_contains', 'test'), 'Email does not contain test'],
    ['starts_with', attr('phone', 'starts_with', '+49'), 'Phone starts with +49'],
    ['ends_with', attr('email', 'ends_with', '.de'), 'Email ends with .de'],
    ['matches', attr('kyc_status', 'matches', '^ok$'), 'KYC status matches ^ok$'],
    ['a quoted regex', attr('kyc_status', 'matches', '^(a|b)$'), 'KYC status matches "^(a|b)$"'],
    [
      'a value with a comma',
      attr('language', 'in', ['Smith, J', 'x']),
      'Language is one of "Smith, J", x',
    ],
    ['a value with a quote', attr('language', 'eq', 'say "hi"'), 'Language is "say \\"hi\\""'],
    ['a value with a newline', attr('language', 'eq', 'a\nb'), 'Language is "a\\nb"'],
    ['an empty value', attr('language', 'eq', ''), 'Language is ""'],
    ['a value with outer spaces', attr('language', 'eq', ' de'), 'Language is " de"'],
    [
      'a value with a keyword',
      attr('language', 'eq', 'rock and roll'),
      'Language is "rock and roll"',
    ],
    [
      'a value with inner spaces',
      attr('language', 'eq', 'Swiss German'),
      'Language is Swiss German',
    ],
    ['non-ASCII', attr('language', 'eq', 'Österreich'), 'Language is Österreich'],
    ['is_set', attr('country', 'is_set'), 'Country is set'],
    ['is_not_set', attr('country', 'is_not_set'), 'Country is not set'],
    ['is_empty', attr('language', 'is_empty'), 'Language is empty'],
    ['is_not_empty', attr('tags', 'is_not_empty'), 'Tags is not empty'],
    ['number eq', attr('vip_level', 'eq', 2), 'VIP level = 2'],
    ['number neq', attr('vip_level', 'neq', 2), 'VIP level != 2'],
    ['number lt', attr('vip_level', 'lt', 2), 'VIP level < 2'],
    ['number lte', attr('vip_level', 'lte', 2.5), 'VIP level <= 2.5'],
    ['number gt', attr('vip_level', 'gt', -1), 'VIP level > -1'],
    ['between', attr('vip_level', 'between', [1, 5]), 'VIP level is between 1 and 5'],
    ['not_between', attr('vip_level', 'not_between', [1, 5]), 'VIP level is not between 1 and 5'],
    ['number in', attr('vip_level', 'in', [1, 2]), 'VIP level is one of 1, 2'],
    ['before', attr('registered_at', 'before', '2024-03-01'), 'Registered at is before 2024-03-01'],
    [
      'after a time',
      attr('registered_at', 'after', '2024-03-01T12:00:00+01:00'),
      'Registered at is after 2024-03-01T12:00:00+01:00',
    ],
    [
      'time between',
      attr('birth_date', 'between', ['1980-01-01', '1990-01-01']),
      'Birth date is between 1980-01-01 and 1990-01-01',
    ],
    [
      'within_last',
      attr('registered_at', 'within_last', { last: 30, unit: 'day' }),
      'Registered at is within the last 30 days',
    ],
    [
      'not_within_last',
      attr('cooling_off_until', 'not_within_last', { last: 1, unit: 'month' }),
      'Cooling off until is not within the last 1 month',
    ],
    ['is_false', attr('marketing_email', 'is_false'), 'Email marketing consent is false'],
    [
      'has_any',
      attr('tags', 'has_any', ['vip', 'high roller']),
      'Tags has any of vip, high roller',
    ],
    ['has_all', attr('tags', 'has_all', ['a', 'b']), 'Tags has all of a, b'],
    ['has_none', attr('tags', 'has_none', ['test']), 'Tags has none of test'],
    ['an unknown field', attr('nickname', 'eq', 'x'), 'nickname is x'],
    ['all time', deposits(), 'Deposits: count >= 3'],
    [
      'one day',
      deposits({ window: { last: 1, unit: 'day' } }),
      'Deposits in the last day: count >= 3',
    ],
    [
      'hours',
      deposits({ window: { last: 12, unit: 'hour' } }),
      'Deposits in the last 12 hours: count >= 3',
    ],
    ['today', deposits({ window: { calendar: 'today' } }), 'Deposits today: count >= 3'],
    [
      'last week',
      deposits({ window: { calendar: 'last_week' } }),
      'Deposits last week: count >= 3',
    ],
    [
      'this month',
      deposits({ window: { calendar: 'this_month' } }),
      'Deposits this month: count >= 3',
    ],
    [
      'a range',
      deposits({ window: { from: '2024-01-01', to: '2024-02-01' } }),
      'Deposits from 2024-01-01 to 2024-02-01: count >= 3',
    ],
    ['count eq 0', deposits({ op: 'eq', value: 0 }), 'Deposits: count = 0'],
    ['count_days', deposits({ measure: 'count_days' }), 'Deposits: count of days >= 3'],
    [
      'sum',
      deposits({ measure: { sum: 'amount' }, value: '100.50' }),
      'Deposits: sum of Amount >= 100.50',
    ],
    [
      'avg',
      deposits({ measure: { avg: 'amount' }, op: 'lt', value: 50 }),
      'Deposits: average Amount < 50',
    ],
    [
      'min',
      deposits({ measure: { min: 'quantity' }, value: 1 }),
      'Deposits: minimum Quantity >= 1',
    ],
    [
      'max',
      deposits({ measure: { max: 'amount' }, op: 'is_set', value: undefined }),
      'Deposits: maximum Amount is set',
    ],
    [
      'distinct',
      deposits({ measure: { distinct: 'payment_method' }, value: 2 }),
      'Deposits: distinct Payment method >= 2',
    ],
    [
      'first_time',
      deposits({ measure: 'first_time', op: 'after', value: '2024-01-01' }),
      'Deposits: first time is after 2024-01-01',
    ],
    [
      'last_time',
      deposits({ measure: 'last_time', op: 'not_within_last', value: { last: 14, unit: 'day' } }),
      'Deposits: last time is not within the last 14 days',
    ],
    [
      'where',
      deposits({
        where: [attr('payment_method', 'eq', 'card'), attr('amount', 'gte', 10)],
        window: { last: 7, unit: 'day' },
      }),
      'Deposits where Payment method is card and Amount >= 10 in the last 7 days: count >= 3',
    ],
    ['an unknown list', { ...deposits(), list: 'spins' }, 'spins: count >= 3'],
    ['a negative reference', { segment: 'vip', op: 'not_in' }, 'not in segment vip'],
  ])('%s', (_name, item, expected) => {
    expect(summarizeRule(rule(item), C)).toBe(expected);
  });

  it.each([
    [
      'a nested any',
      rule(attr('country', 'eq', 'DE'), {
        any: [attr('vip_level', 'gte', 3), attr('tags', 'has_any', ['vip'])],
      }),
      'Country is DE AND (VIP level >= 3 OR Tags has any of vip)',
    ],
    [
      'a one-item group',
      rule(attr('country', 'eq', 'DE'), { any: [attr('vip_level', 'gte', 3)] }),
      'Country is DE AND VIP level >= 3',
    ],
    [
      'a not of a group',
      rule({ not: { any: [attr('country', 'eq', 'DE'), attr('country', 'eq', 'AT')] } }),
      'NOT (Country is DE OR Country is AT)',
    ],
    [
      'groups three deep',
      {
        include: {
          any: [
            {
              all: [
                attr('country', 'eq', 'DE'),
                { any: [attr('vip_level', 'eq', 1), attr('vip_level', 'eq', 2)] },
              ],
            },
            attr('country', 'eq', 'AT'),
          ],
        },
      },
      '(Country is DE AND (VIP level = 1 OR VIP level = 2)) OR Country is AT',
    ],
    [
      'an exclude with two items',
      {
        include: { all: [attr('country', 'eq', 'DE')] },
        exclude: { any: [{ segment: 'a', op: 'in' }, attr('self_excluded', 'is_true')] },
      },
      'Country is DE EXCLUDE in segment a OR Self-excluded is true',
    ],
  ])('%s', (_name, input, expected) => {
    expect(summarizeRule(input as Rule, C)).toBe(expected);
  });
});
