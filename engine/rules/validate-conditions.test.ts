import { describe, expect, it } from 'vitest';
import { field } from '../catalogue/default.ts';
import type { Catalogue, List } from '../catalogue/types.ts';
import { C, deposits, rule, ruleFailure } from './validate-test-support.ts';
import { validateRule } from './validate.ts';

const attr = (name: string, op: string, value?: unknown) =>
  value === undefined ? { field: name, op } : { field: name, op, value };
const where = (...conditions: unknown[]) => deposits({ where: conditions });

/** The default catalogue with email not usable and a string-list property on deposits. */
const CUSTOM: Catalogue = {
  lists: C.lists.map((list): List => {
    if (list.kind === 'players') {
      return {
        ...list,
        fields: list.fields.map((f) => (f.name === 'email' ? { ...f, usableInRules: false } : f)),
      };
    }
    if (list.id !== 'deposits') return list;
    return {
      ...list,
      fields: [...list.fields, field('labels', 'Labels', 'string_list', { key: 'labels' })],
    };
  }),
};

describe('validateRule accepts every operator with a fitting value', () => {
  it.each([
    ['string eq', attr('country', 'eq', 'DE')],
    ['string eq with separators, NUL and non-ASCII', attr('language', 'eq', 'a,"b"\\\n\u0000ü')],
    ['string eq empty', attr('language', 'neq', '')],
    ['string in', attr('country', 'in', ['DE', 'AT'])],
    ['string not_in', attr('country', 'not_in', ['DE'])],
    ['contains', attr('language', 'contains', 'de-')],
    ['not_contains', attr('kyc_status', 'not_contains', 'test')],
    ['starts_with', attr('currency', 'starts_with', 'EU')],
    ['ends_with', attr('gender', 'ends_with', 'ale')],
    ['eq on an anonymized field', attr('phone', 'eq', '+4930123')],
    ['is_set on an anonymized field', attr('phone', 'is_set', undefined)],
    ['matches anchored', attr('kyc_status', 'matches', '^(verified|pending)$')],
    ['matches a unicode class', attr('gender', 'matches', '\\p{Lu}')],
    ['matches a class holding (?=', attr('gender', 'matches', '[(?=]')],
    ['matches an escaped (?=', attr('gender', 'matches', '\\(\\?=x')],
    ['matches a non-capturing group', attr('gender', 'matches', '(?:a|b)+')],
    ['is_set', attr('country', 'is_set')],
    ['is_not_set', attr('country', 'is_not_set')],
    ['is_empty', attr('language', 'is_empty')],
    ['is_not_empty', attr('language', 'is_not_empty')],
    ['number gte', attr('vip_level', 'gte', 3)],
    ['number neq negative fraction', attr('vip_level', 'neq', -1.5)],
    ['number between', attr('vip_level', 'between', [1, 5])],
    ['number between one point', attr('vip_level', 'between', [2, 2])],
    ['number not_between', attr('vip_level', 'not_between', [1, 5])],
    ['number in', attr('vip_level', 'in', [1, 2, 3])],
    ['number is_not_set', attr('vip_level', 'is_not_set')],
    ['datetime before a date', attr('registered_at', 'before', '2024-03-01')],
    ['datetime after an offset time', attr('registered_at', 'after', '2024-03-01T12:00:00+01:00')],
    [
      'datetime after a Z time with fraction',
      attr('registered_at', 'after', '2024-03-01T12:00:00.5Z'),
    ],
    ['datetime after hh:mm', attr('registered_at', 'after', '2024-03-01T12:00Z')],
    ['datetime between dates', attr('birth_date', 'between', ['1980-01-01', '1990-01-01'])],
    ['datetime between equal', attr('birth_date', 'between', ['1980-01-01', '1980-01-01'])],
    [
      'datetime between mixed forms',
      attr('registered_at', 'between', ['2024-03-02', '2024-03-01T23:00:00Z']),
    ],
    ['within_last', attr('registered_at', 'within_last', { last: 7, unit: 'day' })],
    [
      'not_within_last months',
      attr('cooling_off_until', 'not_within_last', { last: 1, unit: 'month' }),
    ],
    ['boolean is_true', attr('self_excluded', 'is_true')],
    ['boolean is_false', attr('marketing_email', 'is_false')],
    ['boolean is_set', attr('marketing_sms', 'is_set')],
    ['has_any', attr('tags', 'has_any', ['vip'])],
    ['has_all', attr('tags', 'has_all', ['vip', 'sports'])],
    ['has_none', attr('tags', 'has_none', ['test'])],
    ['list is_empty', attr('tags', 'is_empty')],
    ['count over a rolling window', deposits({ window: { last: 168, unit: 'hour' }, value: 3 })],
    [
      'count_days this week',
      deposits({ measure: 'count_days', window: { calendar: 'this_week' } }),
    ],
    ['count eq 0 last month', deposits({ op: 'eq', value: 0, window: { calendar: 'last_month' } })],
    ['a range window', deposits({ window: { from: '2024-01-01', to: '2024-02-01T00:00:00Z' } })],
    ['sum money as number', deposits({ measure: { sum: 'amount' }, value: 100 })],
    ['sum money as text', deposits({ measure: { sum: 'amount' }, value: '100.5000' })],
    [
      'sum money at the bounds',
      deposits({
        measure: { sum: 'amount' },
        op: 'between',
        value: ['-99999999999999.9999', '99999999999999.9999'],
      }),
    ],
    [
      'sum money between',
      deposits({ measure: { sum: 'amount' }, op: 'between', value: [10, '10.0001'] }),
    ],
    ['avg money', deposits({ measure: { avg: 'amount' }, value: 50.25 })],
    ['min quantity', deposits({ measure: { min: 'quantity' }, op: 'lt', value: 2 })],
    ['max money in', deposits({ measure: { max: 'amount' }, op: 'in', value: [5, '10.5'] })],
    ['distinct payment methods', deposits({ measure: { distinct: 'payment_method' }, value: 2 })],
    [
      'max is_not_set',
      deposits({ measure: { max: 'amount' }, op: 'is_not_set', value: undefined }),
    ],
    ['first_time before', deposits({ measure: 'first_time', op: 'before', value: '2024-01-01' })],
    [
      'last_time within_last',
      deposits({ measure: 'last_time', op: 'within_last', value: { last: 2, unit: 'week' } }),
    ],
    ['where on a property', where(attr('payment_method', 'eq', 'card'))],
    ['where on money', where(attr('amount', 'gte', '0.0001'))],
    ['where on event_time', where(attr('event_time', 'after', '2024-01-01'))],
    [
      'where on a string list property',
      { ...where(attr('labels', 'has_any', ['x'])), catalogue: CUSTOM },
    ],
    ['a segment reference', { segment: 'vip-managed', op: 'not_in' }],
  ])('%s', (_name, item) => {
    const { catalogue = C, ...condition } = item as { catalogue?: Catalogue };
    const clean = JSON.parse(JSON.stringify(condition)) as object;
    expect(validateRule(rule(condition), catalogue)).toEqual(rule(clean));
  });
});

const at0 = (suffix: string) => `include.all[0].${suffix}`;

describe('validateRule checks conditions against the catalogue', () => {
  it.each([
    ['an unknown event list', deposits({ list: 'spins' }), 'RULE_UNKNOWN_LIST', at0('list')],
    [
      'the Players list as an event list',
      deposits({ list: 'players' }),
      'RULE_UNKNOWN_LIST',
      at0('list'),
    ],
    ['an unknown player field', attr('nickname', 'eq', 'x'), 'RULE_UNKNOWN_FIELD', at0('field')],
    [
      'an event field on players',
      attr('payment_method', 'eq', 'card'),
      'RULE_UNKNOWN_FIELD',
      at0('field'),
    ],
    [
      'a player field in where',
      where(attr('vip_level', 'gte', 1)),
      'RULE_UNKNOWN_FIELD',
      at0('where[0].field'),
    ],
    [
      'an unknown second where field',
      where(attr('status', 'eq', 'ok'), attr('bonus', 'eq', 'x')),
      'RULE_UNKNOWN_FIELD',
      at0('where[1].field'),
    ],
    [
      'an unknown measure field',
      deposits({ measure: { sum: 'bonus' } }),
      'RULE_UNKNOWN_FIELD',
      at0('measure.sum'),
    ],
    [
      'a game field on deposits',
      deposits({ measure: { distinct: 'product' } }),
      'RULE_UNKNOWN_FIELD',
      at0('measure.distinct'),
    ],
    [
      'event_id in where',
      where(attr('event_id', 'eq', 'e1')),
      'RULE_FIELD_NOT_USABLE',
      at0('where[0].field'),
    ],
    [
      'event_id as measure',
      deposits({ measure: { distinct: 'event_id' } }),
      'RULE_FIELD_NOT_USABLE',
      at0('measure.distinct'),
    ],
    [
      'a disabled player field',
      { ...attr('email', 'is_set'), catalogue: CUSTOM },
      'RULE_FIELD_NOT_USABLE',
      at0('field'),
    ],
    ['gt on a string', attr('country', 'gt', 'DE'), 'RULE_OPERATOR_MISMATCH', at0('op')],
    [
      'contains on a number',
      attr('vip_level', 'contains', '1'),
      'RULE_OPERATOR_MISMATCH',
      at0('op'),
    ],
    ['eq on a boolean', attr('self_excluded', 'eq', true), 'RULE_OPERATOR_MISMATCH', at0('op')],
    [
      'eq on a datetime',
      attr('registered_at', 'eq', '2024-01-01'),
      'RULE_OPERATOR_MISMATCH',
      at0('op'),
    ],
    ['in on a string list', attr('tags', 'in', ['vip']), 'RULE_OPERATOR_MISMATCH', at0('op')],
    ['is_true on a string', attr('country', 'is_true'), 'RULE_OPERATOR_MISMATCH', at0('op')],
    [
      'has_any on a string',
      attr('country', 'has_any', ['DE']),
      'RULE_OPERATOR_MISMATCH',
      at0('op'),
    ],
    ['is_empty on a number', attr('vip_level', 'is_empty'), 'RULE_OPERATOR_MISMATCH', at0('op')],
    [
      'not_between on a datetime',
      attr('registered_at', 'not_between', ['2024-01-01', '2024-02-01']),
      'RULE_OPERATOR_MISMATCH',
      at0('op'),
    ],
    [
      'before on a count',
      deposits({ op: 'before', value: '2024-01-01' }),
      'RULE_OPERATOR_MISMATCH',
      at0('op'),
    ],
    [
      'gte on first_time',
      deposits({ measure: 'first_time', value: 3 }),
      'RULE_OPERATOR_MISMATCH',
      at0('op'),
    ],
    [
      'sum of a string',
      deposits({ measure: { sum: 'payment_method' } }),
      'RULE_OPERATOR_MISMATCH',
      at0('measure.sum'),
    ],
    [
      'max of a datetime',
      deposits({ measure: { max: 'event_time' } }),
      'RULE_OPERATOR_MISMATCH',
      at0('measure.max'),
    ],
    [
      'distinct of a list',
      { ...deposits({ measure: { distinct: 'labels' } }), catalogue: CUSTOM },
      'RULE_OPERATOR_MISMATCH',
      at0('measure.distinct'),
    ],
    ...['contains', 'not_contains', 'starts_with', 'ends_with', 'matches'].map(
      (op) =>
        [
          `${op} on an anonymized field`,
          attr('phone', op, '+49'),
          'RULE_OPERATOR_MISMATCH',
          at0('op'),
        ] as [string, object, string, string],
    ),
    [
      'gt in where on a string',
      where(attr('payment_method', 'gt', 'a')),
      'RULE_OPERATOR_MISMATCH',
      at0('where[0].op'),
    ],
  ])('refuses %s', (_name, item, code, path) => {
    const { catalogue = C, ...condition } = item as { catalogue?: Catalogue };
    expect(ruleFailure(rule(condition), catalogue)).toEqual({ code, path });
  });
});
