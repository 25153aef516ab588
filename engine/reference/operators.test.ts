import { describe, expect, it } from 'vitest';
import type { FieldType } from '../catalogue/types.ts';
import { exactFromText } from './exact.ts';
import type { Value } from './fields.ts';
import { matches } from './operators.ts';

const env = { asOf: Date.parse('2024-03-31T12:00:00Z') / 1000, timezone: 'Europe/Berlin' };
const time = (iso: string) => Date.parse(iso) / 1000;

// Numbers and money are written as decimal text in the tables and read exactly here.
type Case = [FieldType, string, unknown, Value | undefined, boolean];

function check(type: FieldType, op: string, value: unknown, x: Value | undefined) {
  const numeric = (type === 'number' || type === 'money') && typeof x === 'string';
  return matches(type, op, value, numeric ? exactFromText(x) : x, env);
}

describe('missing values', () => {
  it.each<Case>([
    ['string', 'eq', 'DE', undefined, false],
    ['string', 'neq', 'DE', undefined, true],
    ['string', 'in', ['DE'], undefined, false],
    ['string', 'not_in', ['DE'], undefined, true],
    ['string', 'contains', '', undefined, false],
    ['string', 'not_contains', 'x', undefined, true],
    ['string', 'starts_with', '', undefined, false],
    ['string', 'ends_with', '', undefined, false],
    ['string', 'matches', '.*', undefined, false],
    ['string', 'is_set', undefined, undefined, false],
    ['string', 'is_not_set', undefined, undefined, true],
    ['string', 'is_empty', undefined, undefined, true],
    ['string', 'is_not_empty', undefined, undefined, false],
    ['string', 'is_set', undefined, '', true],
    ['string', 'is_empty', undefined, '', true],
    ['string', 'is_not_empty', undefined, '', false],
    ['number', 'eq', 0, undefined, false],
    ['number', 'neq', 0, undefined, true],
    ['number', 'lt', 1, undefined, false],
    ['number', 'between', [0, 10], undefined, false],
    ['number', 'not_between', [0, 10], undefined, true],
    ['money', 'not_in', [0], undefined, true],
    ['datetime', 'before', '2030-01-01', undefined, false],
    ['datetime', 'after', '1990-01-01', undefined, false],
    ['datetime', 'within_last', { last: 1, unit: 'day' }, undefined, false],
    ['datetime', 'not_within_last', { last: 1, unit: 'day' }, undefined, true],
    ['boolean', 'is_true', undefined, undefined, false],
    ['boolean', 'is_false', undefined, undefined, false],
    ['boolean', 'is_not_set', undefined, undefined, true],
    ['boolean', 'is_false', undefined, false, true],
    ['string_list', 'has_none', ['vip'], [], true],
    ['string_list', 'is_empty', undefined, [], true],
  ])('%s %s %j on %j: %s', (type, op, value, x, expected) => {
    expect(check(type, op, value, x)).toBe(expected);
  });
});

describe('number and money boundaries', () => {
  it.each<Case>([
    ['money', 'gte', 100, '100.00', true],
    ['money', 'gt', 100, '100.00', false],
    ['money', 'gt', 100, '100.0001', true],
    ['money', 'lt', '100', '99.9999', true],
    ['money', 'lte', '99.9999', '100', false],
    ['money', 'eq', 0.1, '0.1000', true],
    ['money', 'between', ['10', '20'], '10', true],
    ['money', 'between', [10, 20], '20.0000', true],
    ['money', 'between', [10, 20], '20.0001', false],
    ['money', 'not_between', [10, 20], '9.9999', true],
    ['money', 'in', [1, '2.5'], '2.50', true],
    ['number', 'gt', 2.5, '3', true],
    ['number', 'neq', 3, '3', false],
  ])('%s %s %j on %j: %s', (type, op, value, x, expected) => {
    expect(check(type, op, value, x)).toBe(expected);
  });
});

describe('strings', () => {
  it.each<Case>([
    ['string', 'eq', 'de', 'DE', false],
    ['string', 'eq', 'a,"b\'c', 'a,"b\'c', true],
    ['string', 'in', ['Cote d’Ivoire'], 'Cote d’Ivoire', true],
    ['string', 'contains', 'Ivo', 'Cote d’Ivoire', true],
    ['string', 'contains', 'ivo', 'Cote d’Ivoire', false],
    ['string', 'starts_with', 'Cote', 'Cote d’Ivoire', true],
    ['string', 'ends_with', 're', 'Cote d’Ivoire', true],
    ['string', 'matches', '^Co.e', 'Cote', true],
    ['string', 'matches', 'ote', 'Cote', true],
    ['string', 'matches', '^ote', 'Cote', false],
    ['string', 'matches', '^.$', 'é', true],
    ['string', 'matches', '(?i)^cote$', 'Cote', true],
  ])('%s %s %j on %j: %s', (type, op, value, x, expected) => {
    expect(check(type, op, value, x)).toBe(expected);
  });
});

describe('datetimes', () => {
  it.each<Case>([
    ['datetime', 'before', '2024-03-31T12:00:00Z', time('2024-03-31T12:00:00Z'), false],
    ['datetime', 'before', '2024-03-31T12:00:01Z', time('2024-03-31T12:00:00Z'), true],
    ['datetime', 'after', '2024-03-31T12:00:00Z', time('2024-03-31T12:00:00Z'), false],
    // A date alone is midnight in the segment's timezone (Berlin, still CET: 23:00Z the day before).
    ['datetime', 'after', '2024-03-31', time('2024-03-30T23:00:01Z'), true],
    ['datetime', 'after', '2024-03-31', time('2024-03-30T23:00:00Z'), false],
    ['datetime', 'between', ['2024-03-01', '2024-04-01'], time('2024-02-29T23:00:00Z'), true],
    ['datetime', 'between', ['2024-03-01', '2024-04-01'], time('2024-03-31T22:00:00Z'), false],
    ['datetime', 'within_last', { last: 1, unit: 'day' }, time('2024-03-30T12:00:00Z'), false],
    ['datetime', 'within_last', { last: 1, unit: 'day' }, time('2024-03-30T12:00:01Z'), true],
    ['datetime', 'within_last', { last: 1, unit: 'day' }, time('2024-03-31T12:00:00Z'), true],
    ['datetime', 'within_last', { last: 1, unit: 'day' }, time('2024-03-31T12:00:01Z'), false],
    ['datetime', 'not_within_last', { last: 1, unit: 'day' }, time('2024-03-31T12:00:01Z'), true],
    // 31 Mar 14:00 CEST - 1 month = 29 Feb 14:00 CET (13:00Z), excluded.
    ['datetime', 'within_last', { last: 1, unit: 'month' }, time('2024-02-29T13:00:01Z'), true],
    ['datetime', 'within_last', { last: 1, unit: 'month' }, time('2024-02-29T13:00:00Z'), false],
  ])('%s %s %j on %j: %s', (type, op, value, x, expected) => {
    expect(check(type, op, value, x)).toBe(expected);
  });
});

describe('string lists', () => {
  it.each<Case>([
    ['string_list', 'has_any', ['a', 'b'], ['b', 'c'], true],
    ['string_list', 'has_any', ['a'], ['b', 'c'], false],
    ['string_list', 'has_none', ['a'], ['b', 'c'], true],
    ['string_list', 'has_all', ['b', 'c'], ['c', 'b', 'd'], true],
    ['string_list', 'has_all', ['b', 'x'], ['c', 'b'], false],
    ['string_list', 'is_not_empty', undefined, [''], true],
  ])('%s %s %j on %j: %s', (type, op, value, x, expected) => {
    expect(check(type, op, value, x)).toBe(expected);
  });
});
