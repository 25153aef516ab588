import { describe, expect, it } from 'vitest';
import type { Rule } from '../rules/schema.ts';
import { DEFAULT_CATALOGUE } from './default.ts';
import { fieldUsage } from './usage.ts';

describe('fieldUsage', () => {
  const rule = (...items: unknown[]) => ({ include: { all: items } }) as Rule;
  const segments = [
    {
      id: 'b-depositors',
      rule: rule(
        {
          list: 'deposits',
          where: [{ field: 'payment_method', op: 'eq', value: 'card' }],
          measure: { sum: 'amount' },
          op: 'gt',
          value: 10,
        },
        { not: { field: 'country', op: 'eq', value: 'DE' } },
      ),
    },
    {
      id: 'a-germans',
      rule: {
        include: { any: [{ field: 'country', op: 'in', value: ['DE'] }] },
        exclude: { all: [{ list: 'logins', measure: 'count', op: 'gte', value: 1 }] },
      } as Rule,
    },
    { id: 'c-static' },
    { id: 'd-ref', rule: rule({ segment: 'a-germans', op: 'in' }) },
  ];
  const usage = fieldUsage(DEFAULT_CATALOGUE, segments);
  const of = (list: string) => usage.find((u) => u.list === list);

  it('lists every list of the catalogue in order', () => {
    expect(usage.map((u) => u.list)).toEqual(DEFAULT_CATALOGUE.lists.map((l) => l.id));
  });

  it.each([
    ['players', ['a-germans', 'b-depositors']],
    ['deposits', ['b-depositors']],
    ['logins', ['a-germans']],
    ['bets', []],
  ])('names the segments using the list %s', (list, ids) => {
    expect(of(list)?.segments).toEqual(ids);
  });

  it.each([
    ['players', 'country', ['a-germans', 'b-depositors']],
    ['players', 'email', []],
    ['deposits', 'payment_method', ['b-depositors']],
    ['deposits', 'amount', ['b-depositors']],
    ['deposits', 'event_time', []],
    ['logins', 'amount', []],
  ])('names the segments using the field %s.%s', (list, name, ids) => {
    expect(of(list)?.fields[name]).toEqual(ids);
  });
});
