import { describe, expect, it } from 'vitest';
import { deposits, rule, ruleFailure } from './validate-test-support.ts';

const attr = (name: string, op: string, value?: unknown) =>
  value === undefined ? { field: name, op } : { field: name, op, value };
const where = (...conditions: unknown[]) => deposits({ where: conditions });
const at0 = (suffix: string) => `include.all[0].${suffix}`;

const manyValues = Array.from({ length: 10_001 }, (_, i) => `c${i}`);

describe('validateRule refuses values that do not fit the operator with RULE_VALUE_INVALID', () => {
  it.each([
    ['a missing value', attr('country', 'eq'), at0('value')],
    ['a value on is_set', attr('country', 'is_set', 'x'), at0('value')],
    ['null on is_true', attr('self_excluded', 'is_true', null), at0('value')],
    ['null on eq', attr('country', 'eq', null), at0('value')],
    ['a number for a string', attr('country', 'eq', 49), at0('value')],
    ['an array for eq', attr('country', 'eq', ['DE']), at0('value')],
    ['an empty in', attr('country', 'in', []), at0('value')],
    ['a string for in', attr('country', 'in', 'DE'), at0('value')],
    ['a number inside in', attr('country', 'in', ['DE', 3]), at0('value[1]')],
    ['too many values', attr('country', 'in', manyValues), at0('value')],
    ['a too long text', attr('country', 'contains', 'x'.repeat(10_001)), at0('value')],
    ['an unbalanced regex', attr('gender', 'matches', '(a'), at0('value')],
    ['a repetition RE2 refuses', attr('gender', 'matches', 'a{1001}'), at0('value')],
    ['a repetition range RE2 refuses', attr('gender', 'matches', 'a{2,5000}'), at0('value')],
    ['a lookahead', attr('gender', 'matches', 'a(?=b)'), at0('value')],
    ['a negative lookahead', attr('gender', 'matches', 'a(?!b)'), at0('value')],
    ['a lookbehind', attr('gender', 'matches', '(?<=a)b'), at0('value')],
    ['a negative lookbehind', attr('gender', 'matches', '(?<!a)b'), at0('value')],
    ['a backreference', attr('gender', 'matches', '(a)\\1'), at0('value')],
    ['a named backreference', attr('gender', 'matches', '(?<x>a)\\k<x>'), at0('value')],
    ['a named group', attr('gender', 'matches', '(?<x>a)'), at0('value')],
    ['a \\u escape', attr('gender', 'matches', '\\u0041'), at0('value')],
    ['an inline flag JS lacks', attr('gender', 'matches', '(?i)abc'), at0('value')],
    ['an identity escape', attr('gender', 'matches', '\\_'), at0('value')],
    ['a regex that is not text', attr('gender', 'matches', 5), at0('value')],
    ['a numeric string for a number', attr('vip_level', 'eq', '3'), at0('value')],
    ['NaN', attr('vip_level', 'eq', Number.NaN), at0('value')],
    ['Infinity', attr('vip_level', 'gt', Number.POSITIVE_INFINITY), at0('value')],
    ['a reversed range', attr('vip_level', 'between', [5, 1]), at0('value')],
    ['a one-bound range', attr('vip_level', 'between', [1]), at0('value')],
    ['a three-bound range', attr('vip_level', 'not_between', [1, 2, 3]), at0('value')],
    ['a text upper bound', attr('vip_level', 'between', [1, 'x']), at0('value[1]')],
    ['money with 5 places', deposits({ measure: { sum: 'amount' }, value: 1.23456 }), at0('value')],
    [
      'money text with 5 places',
      deposits({ measure: { sum: 'amount' }, value: '1.23456' }),
      at0('value'),
    ],
    [
      'money that is float noise',
      deposits({ measure: { sum: 'amount' }, value: 0.1 + 0.2 }),
      at0('value'),
    ],
    ['money too small', deposits({ measure: { sum: 'amount' }, value: 1e-7 }), at0('value')],
    ['money too large', deposits({ measure: { sum: 'amount' }, value: 1e15 }), at0('value')],
    [
      'money text too large',
      deposits({ measure: { avg: 'amount' }, value: '100000000000000' }),
      at0('value'),
    ],
    ['money huge', deposits({ measure: { sum: 'amount' }, value: 1e300 }), at0('value')],
    ['money with a comma', deposits({ measure: { sum: 'amount' }, value: '1,5' }), at0('value')],
    ['money with spaces', deposits({ measure: { sum: 'amount' }, value: ' 10' }), at0('value')],
    ['money with a plus', deposits({ measure: { sum: 'amount' }, value: '+10' }), at0('value')],
    ['money as a boolean', deposits({ measure: { sum: 'amount' }, value: true }), at0('value')],
    [
      'a reversed money range',
      deposits({ measure: { sum: 'amount' }, op: 'between', value: ['10.5', '10.4999'] }),
      at0('value'),
    ],
    [
      'bad money in a list',
      deposits({ measure: { max: 'amount' }, op: 'in', value: [1, '2.00001'] }),
      at0('value[1]'),
    ],
    ['bad money in where', where(attr('amount', 'gte', 1.00001)), at0('where[0].value')],
    ['a count given as text', deposits({ value: 'three' }), at0('value')],
    ['a count without value', { list: 'deposits', measure: 'count', op: 'gte' }, at0('value')],
    ['a count with is_set and a value', deposits({ op: 'is_set' }), at0('value')],
    ['a time with a space', attr('registered_at', 'before', '2024-03-01 12:00:00Z'), at0('value')],
    ['a time without offset', attr('registered_at', 'before', '2024-03-01T12:00:00'), at0('value')],
    ['an impossible date', attr('registered_at', 'before', '2024-02-30'), at0('value')],
    ['a date in a non-leap year', attr('registered_at', 'before', '2023-02-29'), at0('value')],
    ['hour 24', attr('registered_at', 'before', '2024-03-01T24:00:00Z'), at0('value')],
    ['a time before 1970', attr('registered_at', 'after', '1969-12-31T23:59:59Z'), at0('value')],
    ['the first date', attr('registered_at', 'after', '1970-01-01'), at0('value')],
    ['a date after 2106', attr('registered_at', 'before', '2200-01-01'), at0('value')],
    ['a relative word', attr('registered_at', 'after', 'yesterday'), at0('value')],
    ['epoch milliseconds', attr('registered_at', 'after', 1709251200000), at0('value')],
    [
      'a reversed date range',
      attr('birth_date', 'between', ['1990-01-01', '1980-01-01']),
      at0('value'),
    ],
    [
      'a reversed time range',
      attr('registered_at', 'between', ['2024-01-01T01:00:00Z', '2024-01-01T01:30:00+01:00']),
      at0('value'),
    ],
    [
      'a bad bound in a time range',
      attr('registered_at', 'between', ['2024-01-01', 'x']),
      at0('value[1]'),
    ],
    ['a duration as a number', attr('registered_at', 'within_last', 7), at0('value')],
    [
      'a zero duration',
      attr('registered_at', 'within_last', { last: 0, unit: 'day' }),
      at0('value.last'),
    ],
    [
      'a huge duration',
      attr('registered_at', 'within_last', { last: 100_001, unit: 'day' }),
      at0('value.last'),
    ],
    [
      'a plural unit',
      attr('registered_at', 'within_last', { last: 7, unit: 'days' }),
      at0('value.unit'),
    ],
    [
      'a duration with an extra key',
      attr('registered_at', 'within_last', { last: 7, unit: 'day', tz: 'x' }),
      at0('value.tz'),
    ],
    ['an empty has_any', attr('tags', 'has_any', []), at0('value')],
    ['a string for has_all', attr('tags', 'has_all', 'vip'), at0('value')],
    [
      'first_time with a bad time',
      deposits({ measure: 'first_time', op: 'before', value: 'soon' }),
      at0('value'),
    ],
    [
      'a bad window time',
      deposits({ window: { from: '2024-13-01', to: '2024-02-01' } }),
      at0('window.from'),
    ],
    [
      'a reversed window',
      deposits({ window: { from: '2024-02-01', to: '2024-01-01' } }),
      at0('window'),
    ],
  ])('refuses %s', (_name, item, path) => {
    expect(ruleFailure(rule(item))).toEqual({ code: 'RULE_VALUE_INVALID', path });
  });
});
