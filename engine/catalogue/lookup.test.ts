import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from './default.ts';
import { eventLists, findField, findList, playersList } from './lookup.ts';

describe('lookup', () => {
  it.each([
    ['players', 'players'],
    ['deposits', 'events'],
    ['registrations', 'events'],
  ])('finds the list %s', (id, kind) => {
    expect(findList(DEFAULT_CATALOGUE, id)?.kind).toBe(kind);
  });

  it.each(['Deposits', 'deposit', '', 'spins'])('finds no list named %j', (id) => {
    expect(findList(DEFAULT_CATALOGUE, id)).toBeUndefined();
  });

  it.each([
    ['players', 'country', 'string'],
    ['players', 'tags', 'string_list'],
    ['players', 'birth_date', 'datetime'],
    ['players', 'age', 'number'],
    ['deposits', 'amount', 'money'],
    ['deposits', 'payment_method', 'string'],
    ['bets', 'game_category', 'string'],
  ])('finds %s.%s of type %s', (list, name, type) => {
    const found = findList(DEFAULT_CATALOGUE, list);
    expect(found && findField(found, name)?.type).toBe(type);
  });

  it.each([
    ['players', 'amount'],
    ['deposits', 'country'],
    ['deposits', 'age'],
    ['logins', 'payment_method'],
  ])('finds no field %s.%s', (list, name) => {
    const found = findList(DEFAULT_CATALOGUE, list);
    expect(found && findField(found, name)).toBeUndefined();
  });

  it('computes age from birth_date rather than storing it', () => {
    expect(findField(playersList(DEFAULT_CATALOGUE), 'age')).toMatchObject({
      source: { ageOf: 'birth_date' },
      usableInRules: true,
      anonymized: true,
    });
  });

  it('separates the Players list from the event lists', () => {
    expect(playersList(DEFAULT_CATALOGUE).id).toBe('players');
    expect(eventLists(DEFAULT_CATALOGUE).map((l) => l.id)).toEqual([
      'deposits',
      'withdrawals',
      'bets',
      'wins',
      'logins',
      'bonuses',
      'registrations',
    ]);
  });
});
