import { describe, expect, it } from 'vitest';
import type { Item } from '../rules/schema.ts';
import { deposit, evaluate } from './test-support.ts';

describe('count_days in the segment timezone', () => {
  // 22:30Z and 23:30Z on 30 March are one day in UTC, two days in Berlin (CET, +1).
  const events = [deposit('p1', '2024-03-30T22:30:00Z'), deposit('p1', '2024-03-30T23:30:00Z')];
  const item: Item = { list: 'deposits', measure: 'count_days', op: 'eq', value: 2 };
  it.each([
    ['UTC', []],
    ['Europe/Berlin', ['p1']],
    ['America/New_York', []],
  ])('%s', (timezone, expected) => {
    expect(evaluate(item, events, { timezone })).toEqual(expected);
  });
});

describe('value measures', () => {
  const events = [
    deposit('p1', '2024-03-01T00:00:00Z', '10', { payment_method: 'card' }),
    deposit('p1', '2024-03-02T00:00:00Z', '10', { payment_method: 'card' }),
    deposit('p1', '2024-03-03T00:00:00Z', '10.0001'),
    deposit('p2', '2024-03-03T00:00:00Z', undefined, { payment_method: 'iban' }),
    deposit('p3', '2024-03-03T00:00:00Z', '-5'),
  ];
  it.each<[string, Item, string[]]>([
    [
      'avg gt 10 (exactly, not 10.00003 rounded)',
      { list: 'deposits', measure: { avg: 'amount' }, op: 'gt', value: 10 },
      ['p1'],
    ],
    [
      'avg gte 10.0001',
      { list: 'deposits', measure: { avg: 'amount' }, op: 'gte', value: '10.0001' },
      [],
    ],
    [
      'avg lt 10.0001',
      { list: 'deposits', measure: { avg: 'amount' }, op: 'lt', value: '10.0001' },
      ['p1', 'p3'],
    ],
    [
      'avg missing: neq matches',
      { list: 'deposits', measure: { avg: 'amount' }, op: 'neq', value: -5 },
      ['p1', 'p2', 'p4'],
    ],
    [
      'avg is_not_set',
      { list: 'deposits', measure: { avg: 'amount' }, op: 'is_not_set' },
      ['p2', 'p4'],
    ],
    [
      'sum of nothing is 0',
      { list: 'deposits', measure: { sum: 'amount' }, op: 'eq', value: 0 },
      ['p2', 'p4'],
    ],
    [
      'sum exact',
      { list: 'deposits', measure: { sum: 'amount' }, op: 'eq', value: 30.0001 },
      ['p1'],
    ],
    ['min', { list: 'deposits', measure: { min: 'amount' }, op: 'lte', value: 10 }, ['p1', 'p3']],
    ['max', { list: 'deposits', measure: { max: 'amount' }, op: 'eq', value: '10.0001' }, ['p1']],
    [
      'distinct ignores missing',
      { list: 'deposits', measure: { distinct: 'payment_method' }, op: 'eq', value: 1 },
      ['p1', 'p2'],
    ],
    [
      'distinct money',
      { list: 'deposits', measure: { distinct: 'amount' }, op: 'eq', value: 2 },
      ['p1'],
    ],
    [
      'where neq matches a missing property',
      {
        list: 'deposits',
        where: [{ field: 'payment_method', op: 'neq', value: 'card' }],
        measure: 'count',
        op: 'eq',
        value: 1,
      },
      ['p1', 'p2', 'p3'],
    ],
    [
      'first_time',
      { list: 'deposits', measure: 'first_time', op: 'before', value: '2024-03-02' },
      ['p1'],
    ],
    [
      'last_time within_last',
      {
        list: 'deposits',
        measure: 'last_time',
        op: 'within_last',
        value: { last: 30, unit: 'day' },
      },
      ['p1', 'p2', 'p3'],
    ],
    [
      'last_time not_within_last matches none',
      {
        list: 'deposits',
        measure: 'last_time',
        op: 'not_within_last',
        value: { last: 30, unit: 'day' },
      },
      ['p4'],
    ],
  ])('%s', (_name, item, expected) => {
    expect(evaluate(item, events)).toEqual(expected);
  });
});
